#!/usr/bin/env bash
# The reproduction campaign's rows (issue order), in two lanes that run side by side, one thread
# each, every row through `allennlp jmt-reproduce ROW -s RUNS/ROW`: a finished row is skipped
# (its results are rewritten), a killed one resumes. Run it again after an interruption.
#   bash scripts/campaign.sh [RUNS_DIR] [DATA_DIR]        (defaults: ~/jmt-runs, ../shared/data)
# Logs: RUNS_DIR/logs/ROW.log. A lock per row keeps two campaigns off the same run: the second
# waits for the first's, then finds it finished.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=$(realpath -m "${1:-$HOME/jmt-runs}")
data=$(realpath "${2:-../shared/data}")
mkdir -p "$runs/logs"
glove=$HOME/.cache/allennlp_jmt/glove.6B.50d.txt.gz
[ -f "$glove" ] || .venv/bin/allennlp jmt-glove "$glove"
export OMP_NUM_THREADS=1 JMT_CONLL2000_DIR=$data/conll2000 JMT_CONLL2002_DIR=$data/conll2002 \
  JMT_PTB_DIR=$data/ptb_sample/treebank JMT_UD_EWT_DIR=$data/ud_english_ewt JMT_SICK_DIR=$data/sick \
  JMT_EMBEDDINGS=$glove JMT_EMBEDDINGS_DIM=50
# Lane 1 and lane 2: the Dutch ablation first (Yang et al.'s settings, one factor at a time), then
# the paper rows with the chosen defaults, JMT joint and its single-task baselines, then Table 8's
# three seeds a row (both arms in lane 2, which has the shorter rows, before the long dependency row);
# the short POS baseline goes last in lane 2, which ends hours before jmt_full. The POS and chunking
# baselines have three seeds: the spread says how far a joint-minus-single difference is noise.
ablation=hier_gru_crf.conll2002_nl_paper_settings
lane1=($ablation $ablation.no_lowercase $ablation.dropout0.5 $ablation.train_vocabulary $ablation.adam
       hier_gru_crf.conll2002_nl hier_gru_crf.conll2000 jmt_full)
lane2=($ablation.sgd hier_gru_crf.conll2002_es "jmt_single_task.chunk 13,14,15"
       "joint.crosslingual_nl_r0.1_with_es 13,14,15" "joint.nl_r0.1_alone 13,14,15"
       jmt_single_task.dependencies "jmt_single_task.pos 13,14,15")

run_lane() {
  for entry in "$@"; do
    read -r row seeds <<< "$entry"
    (
      flock -n 9 || { echo "$row: another campaign is running it, waiting"; flock 9; }
      echo "$(date -u +%FT%TZ) $row: start"
      .venv/bin/allennlp jmt-reproduce "$row" -s "$runs/$row" --seeds "${seeds:-13}" >> "$runs/logs/$row.log" 2>&1 \
        && echo "$(date -u +%FT%TZ) $row: done" || echo "$(date -u +%FT%TZ) $row: FAILED (see $runs/logs/$row.log)"
    ) 9> "$runs/$row.lock"
  done
}
run_lane "${lane1[@]}" > "$runs/logs/lane1.log" 2>&1 &
run_lane "${lane2[@]}" > "$runs/logs/lane2.log" 2>&1 &
wait
