"""
What `scripts/benchmark_tagger.py` times, ours against AllenNLP's: the two taggers' archives (built
here from freshly initialised models of the same sizes) and CoNLL-2000 inputs, the CRFs alone,
prediction through the predictors' batch path and through ``allennlp predict``, training, where
prediction spends its time, and the test-score change that quantization makes on a trained archive.
"""
import copy
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import torch

ROOT = Path(__file__).resolve().parents[1]
SIZES = dict(word_dim=50, char_dim=25, char_hidden=80, char_layers=2, hidden=300, layers=2)
CRF_BATCH_SIZE = 32
ALLENNLP = str(Path(sys.executable).parent / "allennlp")
ONE_SENTENCE = {"sentence": "Confidence in the pound is widely expected to take another sharp dive ."}
# What `prepare` writes in the work folder.
FILES = {"ours": "ours/model.tar.gz", "allennlp": "allennlp/model.tar.gz", "spacy_model": "spacy_blank_en",
         "inputs": "inputs.jsonl", "one_line": "one_line.jsonl"}
# Predictor name -> (archive, registered predictor, its arguments). AllenNLP's sentence_tagger also
# gets the blank spaCy model of `prepare` as its "language": it cannot download one offline.
PREDICTORS = {"ours": ("ours", "jmt_tagger", {}), "ours_quantized": ("ours", "jmt_tagger", {"quantize": True}),
              "allennlp": ("allennlp", "sentence_tagger", {})}
# Ours: jmt_hier_gru_crf, read by jmt_conll2000. AllenNLP's: allennlp-models' crf_tagger with the same
# sizes, read by allennlp-models' conll2000 reader with AllenNLP's own indexers and character encoder.
CONFIGS = f"""
local yang = import '{ROOT}/training_configs/lib/hier_gru_crf.libsonnet';
local model = yang.model('chunk_labels', 'BIOUL', {', '.join(f'{key}={value}' for key, value in SIZES.items())});
{{
  ours: {{ dataset_reader: {{ type: 'jmt_conll2000', coding_scheme: 'BIOUL', replace_digits: true,
                              token_indexers: yang.token_indexers(max_chars=17) }},
           model: model }},
  allennlp: {{
    dataset_reader: {{ type: 'conll2000', convert_to_coding_scheme: 'BIOUL', token_indexers: {{
      tokens: {{ type: 'single_id', lowercase_tokens: true }}, token_characters: {{ type: 'characters' }} }} }},
    model: {{ type: 'crf_tagger', label_encoding: 'BIOUL', constrain_crf_decoding: true,
              include_start_end_transitions: true, calculate_span_f1: true,
              text_field_embedder: model.text_field_embedder + {{ token_embedders+: {{
                token_characters+: {{ type: 'character_encoding' }} }} }},
              encoder: model.encoder }} }},
}}"""


def register_components() -> None:
    """Registers the two taggers' readers, models and predictors with AllenNLP."""
    import allennlp_models.tagging  # noqa: F401  (crf_tagger, conll2000, sentence_tagger)

    import allennlp_jmt  # noqa: F401


def conll_sentences(path: str) -> List[List[str]]:
    """The words (first column) of each sentence of a CoNLL column file."""
    sentences, words = [], []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            words.append(line.split()[0])
        elif words:
            sentences.append(words)
            words = []
    return sentences + ([words] if words else [])


def files(workdir: Path) -> Dict[str, Path]:
    return {name: workdir / relative for name, relative in FILES.items()}


def prepare(workdir: Path, data_dir: str, predict_sentences: int) -> Dict[str, Path]:
    """
    Writes `FILES` in `workdir`: each tagger's model.tar.gz, of a freshly initialised (seed 0,
    untrained: speed does not depend on the scores) model with its vocabulary read from CoNLL-2000
    train by its own reader; a blank spaCy English model; the first `predict_sentences` test
    sentences as ``{"sentence": "..."}`` lines, and one such line.
    """
    import spacy
    from allennlp.common import Params
    from allennlp.data import DatasetReader, Vocabulary
    from allennlp.models import Model
    from allennlp.models.archival import archive_model

    register_components()
    paths = files(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "configs.jsonnet").write_text(CONFIGS)
    no_vectors = {"JMT_EMBEDDINGS": "", "JMT_EMBEDDINGS_DIM": ""}
    for kind, config in Params.from_file(str(workdir / "configs.jsonnet"), ext_vars=no_vectors).as_dict().items():
        serialization_dir = paths[kind].parent
        shutil.rmtree(serialization_dir, ignore_errors=True)
        serialization_dir.mkdir(parents=True)
        reader = DatasetReader.from_params(Params(copy.deepcopy(config["dataset_reader"])))
        vocab = Vocabulary.from_instances(reader.read(f"{data_dir}/train.txt"))
        torch.manual_seed(0)
        model = Model.from_params(vocab=vocab, params=Params(copy.deepcopy(config["model"])))
        vocab.save_to_files(str(serialization_dir / "vocabulary"))
        torch.save(model.state_dict(), serialization_dir / "best.th")
        (serialization_dir / "config.json").write_text(json.dumps(config, indent=2))
        archive_model(serialization_dir)
    spacy.blank("en").to_disk(paths["spacy_model"])
    sentences = conll_sentences(f"{data_dir}/test.txt")[:predict_sentences]
    paths["inputs"].write_text("".join(json.dumps({"sentence": " ".join(words)}) + "\n" for words in sentences))
    paths["one_line"].write_text(json.dumps(ONE_SENTENCE) + "\n")
    return paths


def read_inputs(paths: Dict[str, Path]) -> List[Dict]:
    return [json.loads(line) for line in paths["inputs"].read_text().splitlines()]


def predictor_arguments(name: str, paths: Dict[str, Path]) -> Dict:
    _, _, arguments = PREDICTORS[name]
    return {**arguments, "language": str(paths["spacy_model"])} if name == "allennlp" else arguments


def load_predictor(name: str, paths: Dict[str, Path]):
    """The predictor `name` of `PREDICTORS`, as ``allennlp predict`` builds it from its archive and arguments."""
    from allennlp.models.archival import load_archive
    from allennlp.predictors import Predictor

    archive, predictor, _ = PREDICTORS[name]
    return Predictor.from_archive(load_archive(str(paths[archive])), predictor,
                                  extra_args=predictor_arguments(name, paths))


def paired_medians(workloads: Dict[str, Callable[[], object]], repeats: int) -> Dict[str, float]:
    """
    Median seconds of each workload, run once to warm up, then `repeats` times in turn (so that a
    change of load hits all alike).
    """
    for work in workloads.values():
        work()
    seconds: Dict[str, List[float]] = {name: [] for name in workloads}
    for _ in range(repeats):
        for name, work in workloads.items():
            start = time.perf_counter()
            work()
            seconds[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in seconds.items()}


def crf_throughput(crf, lengths: Sequence[int], repeats: int) -> Dict[str, float]:
    """
    Sentences/s of our `crf` (a `CostAugmentedCrf` with BIOUL constraints) and of AllenNLP's
    `ConditionalRandomField` with the same weights and constraints, on sentences of the given
    `lengths` sorted into batches of 32 (as a bucketing sampler makes them), with random emission
    scores and gold tags: decoding (`viterbi_tags`: ours batched, AllenNLP's sentence by sentence),
    and the training objective's log-likelihood with its backward pass.
    """
    from allennlp.modules import ConditionalRandomField

    upstream = ConditionalRandomField(crf.num_tags, None, crf.include_start_end_transitions)
    upstream.load_state_dict(crf.state_dict())  # the weights and the constraint mask
    generator = torch.Generator().manual_seed(0)
    ordered = sorted(lengths)
    batches = []
    for first in range(0, len(ordered), CRF_BATCH_SIZE):
        batch_lengths = torch.tensor(ordered[first : first + CRF_BATCH_SIZE])
        mask = torch.arange(int(batch_lengths.max())).unsqueeze(0) < batch_lengths.unsqueeze(1)
        logits = torch.randn(*mask.shape, crf.num_tags, generator=generator) * 3
        tags = torch.randint(0, crf.num_tags, mask.shape, generator=generator) * mask
        batches.append((logits.requires_grad_(), tags, mask))

    def decode(model):
        return lambda: [model.viterbi_tags(logits.detach(), mask) for logits, _, mask in batches]

    def likelihood_backward(model):
        return lambda: [model(logits, tags, mask).backward() for logits, tags, mask in batches]

    seconds = paired_medians({"crf_decode_ours": decode(crf), "crf_decode_allennlp": decode(upstream),
                              "crf_likelihood_backward_ours": likelihood_backward(crf),
                              "crf_likelihood_backward_allennlp": likelihood_backward(upstream)}, repeats)
    return {name: len(ordered) / value for name, value in seconds.items()}


def predict_all(predictor, inputs: List[Dict], batch_size: int) -> List[Dict]:
    """`predictor.predict_batch_json` over `inputs` in batches of `batch_size`, as ``allennlp predict`` runs."""
    return [output for first in range(0, len(inputs), batch_size)
            for output in predictor.predict_batch_json(inputs[first : first + batch_size])]


def prediction_throughput(predictors: Dict[str, object], inputs: List[Dict], batch_size: int,
                          repeats: int) -> Dict[str, float]:
    """Sentences/s of each predictor's batch path over `inputs`."""
    seconds = paired_medians({name: (lambda predictor=predictor: predict_all(predictor, inputs, batch_size))
                              for name, predictor in predictors.items()}, repeats)
    return {f"predict_{name}_sentences_per_s": len(inputs) / value for name, value in seconds.items()}


def tag_agreement(predictor, other, inputs: List[Dict], batch_size: int) -> float:
    """The fraction of words that two predictors tag alike."""
    pairs = [(one, two) for first, second in zip(predict_all(predictor, inputs, batch_size),
                                                 predict_all(other, inputs, batch_size))
             for one, two in zip(first["tags"], second["tags"])]
    return sum(one == two for one, two in pairs) / len(pairs)


def prediction_profile(predictors: Dict[str, object], inputs: List[Dict], batch_size: int) -> Dict[str, float]:
    """
    Seconds that one batch-path pass of each predictor (after a warm-up batch) spends in each
    stage: reading the JSON into instances (tokenizing), the word representation (word embedding
    and character encoder), the word-level encoder, the rest of the model (tag scores, CRF
    decoding), and the rest of the batch path (indexing, padding, readable and JSON outputs).
    """
    profile = {}
    for name, predictor in predictors.items():
        model = predictor._model
        timed = {"read": (predictor, "_batch_json_to_instances"), "model": (model, "forward"),
                 "words": (model.text_field_embedder, "forward"), "encoder": (model.encoder, "forward")}
        seconds = dict.fromkeys(timed, 0.0)

        def timer(stage, method):
            def timed_call(*args, **kwargs):
                start = time.perf_counter()
                result = method(*args, **kwargs)
                seconds[stage] += time.perf_counter() - start
                return result
            return timed_call

        predict_all(predictor, inputs[:batch_size], batch_size)  # a warm-up batch
        for stage, (owner, method) in timed.items():
            setattr(owner, method, timer(stage, getattr(owner, method)))
        gc.collect()  # so that no predictor pays for the garbage of the ones before
        start = time.perf_counter()
        predict_all(predictor, inputs, batch_size)
        total = time.perf_counter() - start
        for owner, method in timed.values():
            delattr(owner, method)  # back to the class's method
        stages = {"total": total, "read": seconds["read"], "word_representation": seconds["words"],
                  "word_encoder": seconds["encoder"],
                  "tagging": seconds["model"] - seconds["words"] - seconds["encoder"],
                  "batching_and_outputs": total - seconds["read"] - seconds["model"]}
        profile.update({f"profile_{name}_{stage}": value for stage, value in stages.items()})
    return profile


def training_throughput(paths: Dict[str, Path], train_path: str, sentences: int, repeats: int) -> Dict[str, float]:
    """
    Training tokens/s of each tagger (AdaGrad, lr 0.01, batches of 10, as Yang et al.) over the
    first `sentences` sentences of `train_path`, one epoch per repeat, the two in turn.
    """
    from allennlp.data.data_loaders import SimpleDataLoader
    from allennlp.models.archival import load_archive

    epochs, tokens = {}, {}
    for kind in ("ours", "allennlp"):
        archive = load_archive(str(paths[kind]))
        model = archive.model.train()
        instances = list(archive.dataset_reader.read(train_path))[:sentences]
        loader = SimpleDataLoader(instances, batch_size=10, vocab=model.vocab)
        optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
        tokens[kind] = sum(len(instance["tokens"]) for instance in instances)

        def epoch(model=model, loader=loader, optimizer=optimizer):
            for batch in loader:
                optimizer.zero_grad()
                model(**batch)["loss"].backward()
                optimizer.step()

        epochs[kind] = epoch
    seconds = paired_medians(epochs, repeats)
    return {f"train_{kind}_tokens_per_s": tokens[kind] / seconds[kind] for kind in epochs}


def predict_command(name: str, paths: Dict[str, Path], input_file: Path, batch_size: int) -> List[str]:
    """The ``allennlp predict`` command line of predictor `name`, with AllenNLP's plugin only for ours."""
    archive, predictor, _ = PREDICTORS[name]
    arguments = predictor_arguments(name, paths)
    command = [ALLENNLP, "predict", str(paths[archive]), str(input_file), "--silent", "--batch-size",
               str(batch_size), "--cuda-device", "-1", "--output-file", "/dev/null", "--predictor", predictor]
    command += ["--include-package", "allennlp_jmt"] if archive == "ours" else []
    return command + (["--predictor-args", json.dumps(arguments)] if arguments else [])


def timed_process(command: List[str], env: Dict[str, str], cwd: Path) -> Tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of running `command` to its end."""
    log = cwd / "process.log"
    with open(log, "w") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def cli_measurements(paths: Dict[str, Path], env: Dict[str, str], batch_size: int,
                     repeats: int) -> Dict[str, float]:
    """
    ``allennlp predict`` as users run it, from the work folder (no plugins file there: AllenNLP's
    tagger loads no plugin, ours is named by --include-package): median whole-process seconds and
    peak memory on the input sentences, and on one sentence (its start-up: imports, archive, one
    batch), each command in turn.
    """
    runs = {f"cli_{name}": predict_command(name, paths, paths["inputs"], batch_size) for name in PREDICTORS}
    runs.update({f"cli_startup_{name}": predict_command(name, paths, paths["one_line"], batch_size)
                 for name in ("ours", "allennlp")})
    measured: Dict[str, List[Tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, command in runs.items():
            measured[name].append(timed_process(command, env, paths["inputs"].parent))
    results = {}
    for name, values in measured.items():
        results[f"{name}_seconds"] = statistics.median(seconds for seconds, _ in values)
        results[f"{name}_peak_mb"] = statistics.median(peak for _, peak in values)
    return results


def quantized_score_change(archive_path: str, data_paths: Sequence[str]) -> List[Dict[str, object]]:
    """
    Test scores of a trained archive (``allennlp evaluate``'s metrics) on each of `data_paths`,
    as trained (fp32) and with `quantize_dynamically` applied, as the ``quantize`` option does.
    """
    from allennlp.data.data_loaders import SimpleDataLoader
    from allennlp.models.archival import load_archive
    from allennlp.training.util import evaluate

    from allennlp_jmt.predictors.quantization import quantize_dynamically

    archive = load_archive(archive_path)
    models = {"fp32": archive.model, "int8": quantize_dynamically(copy.deepcopy(archive.model))}
    scores = []
    for data_path in data_paths:
        instances = list(archive.validation_dataset_reader.read(data_path))
        row: Dict[str, object] = {"archive": archive_path, "data": data_path, "sentences": len(instances)}
        for name, model in models.items():
            metrics = evaluate(model.eval(), SimpleDataLoader(instances, batch_size=64, vocab=model.vocab), -1)
            row.update({f"{name}_{key}": metrics[key] for key in ("f1", "accuracy") if key in metrics})
        scores.append(row)
    return scores
