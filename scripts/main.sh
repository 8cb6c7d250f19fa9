#!/usr/bin/env bash
# The main job: set up (scripts/install.sh), show what the readers load from the bundled sample,
# train Yang et al.'s HierGRU-CRF chunker and Hashimoto et al.'s JMT (POS, chunking, dependencies,
# relatedness, entailment) on the bundled sample (fixtures/data/jmt) with the bundled GloVe
# vectors of its words, score both on the sample's test parts, and show their predictions on the
# demo sentences (from those test parts) beside the gold annotation. Outputs in runs/main/
# (git-ignored). Minutes on a CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
out=runs/main
rm -rf "$out" && mkdir -p "$out"
export JMT_EMBEDDINGS=fixtures/data/jmt/glove.6B.50d.sample.txt.gz JMT_EMBEDDINGS_DIM=50
seeds='"random_seed": 13, "numpy_seed": 13, "pytorch_seed": 13'
demo=fixtures/data/jmt/demo.jsonl

echo "== What the readers load from the bundled sample"
.venv/bin/allennlp jmt-data-summary fixtures/data/summary.jsonnet 2> "$out/summary.log"

echo "== Training the HierGRU-CRF chunker on the bundled CoNLL-2000 sample (log: $out/tagger.log)"
.venv/bin/allennlp train training_configs/hier_gru_crf/conll2000.jsonnet -s "$out/tagger" \
  -o "{\"trainer.num_epochs\": ${MAIN_TAGGER_EPOCHS:-12}, $seeds}" > "$out/tagger.log" 2>&1 \
  || { tail -n 30 "$out/tagger.log"; exit 1; }
echo "test (300 sentences, dev-selected epoch): $(.venv/bin/python -m allennlp_jmt.demo scores "$out/tagger/metrics.json")"

echo "== Training JMT on the bundled sample (log: $out/jmt.log)"
.venv/bin/allennlp train training_configs/jmt.jsonnet -s "$out/jmt" -o "{$seeds}" > "$out/jmt.log" 2>&1 \
  || { tail -n 30 "$out/jmt.log"; exit 1; }
echo "test (every task, dev-selected epoch): $(.venv/bin/python -m allennlp_jmt.demo scores "$out/jmt/metrics.json")"

echo "== Predicting the demo sentences ($demo) with both models"
.venv/bin/allennlp predict "$out/tagger/model.tar.gz" "$demo" --batch-size 64 --silent \
  --output-file "$out/tagger-predictions.jsonl" 2> "$out/predict.log"
printf '%s\n' '{"premise": "A man is playing a guitar.", "hypothesis": "A person is playing an instrument."}' \
  | cat "$demo" - > "$out/jmt-input.jsonl"
.venv/bin/allennlp predict "$out/jmt/model.tar.gz" "$out/jmt-input.jsonl" --batch-size 64 --silent \
  --output-file "$out/jmt-predictions.jsonl" 2>> "$out/predict.log"
.venv/bin/python -m allennlp_jmt.demo table "$demo" "$out/tagger-predictions.jsonl" "$out/jmt-predictions.jsonl"
echo "A sentence pair: $(.venv/bin/python -m allennlp_jmt.demo pair "$out/jmt-predictions.jsonl")"
echo "JSON outputs: $out/tagger-predictions.jsonl, $out/jmt-predictions.jsonl"
