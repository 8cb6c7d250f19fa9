"""The main job's table: predictions beside gold, differences marked, agreement counted."""
import io
import json

from allennlp_jmt.demo import main


def write_jsonl(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return str(path)


def test_the_table_marks_differences_and_counts_agreement(tmp_path):
    demo = write_jsonl(tmp_path / "demo.jsonl", [
        {"tokens": ["The", "dog", "barks"], "gold": {"source": "s1", "pos": ["DT", "NN", "VBZ"],
                                                       "chunk": ["B-NP", "I-NP", "B-VP"]}},
        {"tokens": ["Dogs", "bark"], "gold": {"source": "s2", "pos": ["NNS", "VBP"], "heads": [2, 0],
                                               "relations": ["nsubj", "root"]}},
    ])
    tagger = write_jsonl(tmp_path / "tagger.jsonl", [{"tags": ["B-NP", "L-NP", "U-VP"]}, {"tags": ["U-NP", "U-VP"]}])
    jmt = write_jsonl(tmp_path / "jmt.jsonl", [
        {"pos_tags": ["DT", "NN", "NNS"], "chunk_tags": ["B-NP", "I-NP", "B-VP"], "heads": [2, 3, 0],
         "head_labels": ["det", "nsubj", "root"]},
        {"pos_tags": ["NNS", "VBP"], "chunk_tags": ["B-NP", "B-VP"], "heads": [0, 0], "head_labels": ["nsubj", "root"]},
    ])
    out = io.StringIO()
    totals = main(demo, tagger, jmt, out=out)
    assert totals == {"POS": (4, 5), "chunk (tagger)": (3, 3), "chunk (JMT)": (3, 3), "head": (1, 2), "relation": (2, 2)}
    text = out.getvalue()
    assert "VBZ / NNS *" in text and "DT / DT *" not in text
    assert "B-NP / B-NP" in text and "I-NP / I-NP" in text  # the tagger's BIOUL shown as IOB2
    assert "— / 2" in text  # no gold head for a chunking sentence
    assert "2 / 0 *" in text
    assert text.rstrip().endswith("POS 4/5; chunk (tagger) 3/3; chunk (JMT) 3/3; head 1/2; relation 2/2")


def test_the_scores_and_pair_lines(tmp_path):
    from allennlp_jmt.demo import pair_line, scores_line

    (tmp_path / "metrics.json").write_text(json.dumps(
        {"test_f1": 0.8215, "test_loss": 3.2, "test_relatedness_mse": 0.7082, "test_relatedness_pearson": 0.6,
         "best_validation_f1": 0.9}))
    assert scores_line(str(tmp_path / "metrics.json")) == "f1 82.2, relatedness_mse 0.708"
    predictions = write_jsonl(tmp_path / "p.jsonl", [
        {"words": ["a"]}, {"premise_words": ["A", "man"], "hypothesis_words": ["A", "person"], "relatedness": 4.123,
                           "entailment": "ENTAILMENT"}])
    assert pair_line(predictions) == "A man / A person: relatedness 4.12 (1-5), ENTAILMENT"
