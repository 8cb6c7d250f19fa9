"""`allennlp` runs offline and quietly: no nltk download attempts, no known-harmless upstream warnings."""
import os
import subprocess

from tests.cli import ALLENNLP, ROOT


def test_allennlp_predict_prints_no_network_attempt_or_warning(tmp_path):
    (tmp_path / "input.jsonl").write_text('{"sentence": "He reckons the deficit will narrow."}\n')
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    environment["NLTK_DATA"] = ""
    finished = subprocess.run(
        [str(ALLENNLP), "predict", "fixtures/archives/tagger.tar.gz", str(tmp_path / "input.jsonl"),
         "--silent", "--output-file", str(tmp_path / "output.jsonl")],
        cwd=ROOT, capture_output=True, text=True, env=environment, timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert (tmp_path / "output.jsonl").read_text().count("\n") == 1
    noise = [line for line in finished.stderr.splitlines()
             if "nltk_data" in line or "Warning" in line or "warnings.warn" in line]
    assert noise == []
