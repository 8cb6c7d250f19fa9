#!/usr/bin/env bash
# The main job: set up (scripts/install.sh), show what the readers load from the bundled sample,
# then train Yang et al.'s HierGRU-CRF chunker on the bundled CoNLL-2000 sample and Hashimoto et
# al.'s JMT (POS, chunking, dependencies, relatedness, entailment) on the bundled JMT sample,
# evaluate both and predict with both. Everything lands in runs/main/ (git-ignored). Minutes on a CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
out=runs/main
rm -rf "$out" && mkdir -p "$out"

echo "== What the readers load from the bundled sample"
.venv/bin/allennlp jmt-data-summary fixtures/data/summary.jsonnet

echo "== Training the HierGRU-CRF chunker on the bundled CoNLL-2000 sample, 240 sentences (log: $out/tagger.log)"
.venv/bin/allennlp train training_configs/hier_gru_crf/conll2000.jsonnet -s "$out/tagger" \
  -o '{"trainer.num_epochs": 5}' > "$out/tagger.log" 2>&1 || { tail -n 30 "$out/tagger.log"; exit 1; }

echo "== Evaluating it on the sample's test part"
.venv/bin/allennlp evaluate "$out/tagger/model.tar.gz" fixtures/data/jmt/conll2000/test.txt \
  --output-file "$out/tagger-test-metrics.json" > /dev/null 2>&1
cat "$out/tagger-test-metrics.json"; echo

echo "== Predicting"
printf '%s\n' '{"sentence": "He reckons the current account deficit will narrow to only 1.8 billion in September."}' \
  '{"tokens": ["Confidence", "in", "the", "pound", "is", "widely", "expected", "to", "take", "another", "sharp", "dive"]}' \
  > "$out/input.jsonl"
.venv/bin/allennlp predict "$out/tagger/model.tar.gz" "$out/input.jsonl" --silent --output-file "$out/predictions.jsonl" 2> "$out/predict.log"
cat "$out/predictions.jsonl"

echo "== Training JMT on the bundled sample, 6 epochs (log: $out/jmt.log)"
.venv/bin/allennlp train training_configs/jmt.jsonnet -s "$out/jmt" > "$out/jmt.log" 2>&1 \
  || { tail -n 30 "$out/jmt.log"; exit 1; }

echo "== Evaluating it on the sample's test parts (every task)"
test_paths=$(.venv/bin/python -c 'import json, allennlp_jmt
from allennlp.common import Params
print(json.dumps(Params.from_file("training_configs/jmt.jsonnet")["test_data_path"].as_dict()))')
.venv/bin/allennlp evaluate "$out/jmt/model.tar.gz" "$test_paths" \
  --output-file "$out/jmt-test-metrics.json" > /dev/null 2>&1
cat "$out/jmt-test-metrics.json"; echo

echo "== Predicting: a sentence (every sentence-level layer) and a sentence pair (all five)"
printf '%s\n' '{"sentence": "The dog chased the cat into the garden."}' \
  '{"premise": "A man is playing a guitar.", "hypothesis": "A person is playing an instrument."}' \
  > "$out/jmt-input.jsonl"
.venv/bin/allennlp predict "$out/jmt/model.tar.gz" "$out/jmt-input.jsonl" --silent \
  --output-file "$out/jmt-predictions.jsonl" 2> "$out/jmt-predict.log"
cat "$out/jmt-predictions.jsonl"
