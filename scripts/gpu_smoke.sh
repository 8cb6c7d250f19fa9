#!/usr/bin/env bash
# GPU smoke test: trains the tiny tagger, joint (multi-task, cross-lingual) and JMT configs of
# fixtures/configs/ on one GPU (JMT_CUDA_DEVICE), JMT also killed in its second epoch and resumed
# with --recover; with two GPUs or more, each also distributed on GPUs 0 and 1; then predicts with
# each archive on the GPU (allennlp predict --cuda-device, with k-best and confidence outputs).
# Prints one PASS / FAIL / SKIP line per step and a summary; exits 1 if a step failed, 2 if there
# is no usable CUDA device. Takes a few minutes.
#
#   bash scripts/gpu_smoke.sh
#
# Variables:
#   GPU_SMOKE_DEVICE=N       the GPU to train and predict on (default 0); -1 runs the same steps
#                            on the CPU, to check the script on a machine without a GPU
#   GPU_SMOKE_DISTRIBUTED=1  run the distributed steps even without two GPUs (on the CPU, with
#                            GPU_SMOKE_DEVICE=-1: two gloo workers); =0 never. Default: when
#                            `nvidia-smi -L` lists two GPUs or more.
# Everything it writes (runs, logs, predictions) goes under runs/gpu_smoke/DATE-TIME/ (git-ignored).
set -uo pipefail
cd "$(dirname "$0")/.."

DEVICE=${GPU_SMOKE_DEVICE:-0}
if ! [[ $DEVICE =~ ^(-1|[0-9]+)$ ]]; then
  echo "gpu_smoke: GPU_SMOKE_DEVICE must be a GPU index or -1, not '$DEVICE'"
  exit 2
fi
OUT=runs/gpu_smoke/$(date +%Y%m%d-%H%M%S)
PY=.venv/bin/python
PLUGIN=(--include-package allennlp_jmt)
MODELS=(tagger multitask crosslingual jmt)
declare -A CONFIG=([tagger]=hier_gru_crf_tiny [multitask]=joint_tiny_multitask
                   [crosslingual]=joint_tiny_crosslingual [jmt]=jmt_tiny)
declare -A PREDICTOR=([tagger]=jmt_tagger [multitask]=jmt_joint_tagger [crosslingual]=jmt_joint_tagger [jmt]=jmt)
CRF_ARGS='{"top_k": 2, "confidence": true}'  # k-best Viterbi and forward-backward on the device
declare -A PREDICTOR_ARGS=([tagger]=$CRF_ARGS [multitask]=$CRF_ARGS [crosslingual]=$CRF_ARGS
                           [jmt]='{"confidence": true}')
# Predictor inputs: those of the archive fixtures (fixtures/archives/NAME.predictions.json), or a line per task.
declare -A INPUTS_FIXTURE=([tagger]=tagger [multitask]=joint [jmt]=jmt)
CROSSLINGUAL_INPUTS='{"tokens": ["De", "regering", "in", "Den", "Haag", "zwijgt", "."], "task": "nl_ner"}
{"tokens": ["El", "presidente", "de", "Brasil", "viaja", "a", "Madrid", "."], "task": "es_ner"}'

# A working .venv (not only a folder: its python links to the base interpreter), else install it.
if ! "$PY" -c "import allennlp, allennlp_jmt" 2>/dev/null; then
  echo "gpu_smoke: .venv is missing or broken: bash scripts/install.sh"
  bash scripts/install.sh || { echo "gpu_smoke: FAIL: scripts/install.sh failed"; exit 2; }
fi

# Fail fast without a CUDA device that runs kernels.
if [ "$DEVICE" -ge 0 ]; then
  if ! "$PY" - "$DEVICE" <<'EOF'
import sys

import torch

device = int(sys.argv[1])
build = f"torch {torch.__version__} (CUDA {torch.version.cuda})"
if torch.version.cuda is None:
    sys.exit(f"{build} is a CPU-only build")
if not torch.cuda.is_available():
    sys.exit(f"no CUDA device: {build} sees none (no GPU, or a driver too old for CUDA {torch.version.cuda})")
if device >= torch.cuda.device_count():
    sys.exit(f"GPU {device} asked for, but {build} sees {torch.cuda.device_count()} GPU(s)")
ones = torch.ones(4, device=device)
assert (ones + ones).sum().item() == 8.0, "a kernel on the GPU gave a wrong sum"
print(f"gpu_smoke: GPU {device}: {torch.cuda.get_device_name(device)}, {build}")
EOF
  then
    echo "gpu_smoke: FAIL: no usable CUDA device (GPU_SMOKE_DEVICE=-1 runs the same steps on the CPU)"
    exit 2
  fi
  GPUS=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')
  DISTRIBUTED_DEVICES='[0, 1]'
else
  echo "gpu_smoke: GPU_SMOKE_DEVICE=$DEVICE: the steps run on the CPU"
  GPUS=0
  DISTRIBUTED_DEVICES='[-1, -1]'
fi
DISTRIBUTED=${GPU_SMOKE_DISTRIBUTED:-$([ "$GPUS" -ge 2 ] && echo 1 || echo 0)}
mkdir -p "$OUT/logs" "$OUT/predict"
echo "gpu_smoke: outputs in $OUT"

SUMMARY=()
FAILURES=0
report() {  # report RESULT STEP DETAIL: prints and keeps a summary line
  SUMMARY+=("$(printf '%-4s  %-24s  %s' "$1" "$2" "$3")")
  echo "${SUMMARY[-1]}"
}
step() {  # step NAME COMMAND...: runs COMMAND, its output in $OUT/logs/NAME.log, and reports PASS or FAIL
  local name=$1 start=$SECONDS log=$OUT/logs/$1.log
  shift
  if "$@" >"$log" 2>&1; then
    report PASS "$name" "$((SECONDS - start)) s"
  else
    report FAIL "$name" "$((SECONDS - start)) s, log: $log"
    FAILURES=$((FAILURES + 1))
    tail -n 15 "$log" | sed 's/^/      | /'
  fi
}

train() {  # train MODEL DIR [ARGS...]: allennlp train of MODEL's tiny config into DIR, JMT_CUDA_DEVICE=$DEVICE
  local model=$1 dir=$2
  shift 2
  JMT_CUDA_DEVICE=$DEVICE "$PY" -m allennlp train "fixtures/configs/${CONFIG[$model]}.jsonnet" -s "$dir" \
    "${PLUGIN[@]}" "$@"
}

check_run() {  # check_run DIR [distributed]: the run has its archive and ran where it was asked to
  "$PY" - "$1" "$DEVICE" "${2:-}" <<'EOF'
import json
import os
import sys

run, device, distributed = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "distributed"
assert os.path.exists(os.path.join(run, "model.tar.gz")), f"no archive in {run}"
config = json.load(open(os.path.join(run, "config.json")))
metrics = json.load(open(os.path.join(run, "metrics.json")))
if distributed:  # nccl workers report their GPU's peak memory by rank; gloo (CPU) workers none
    used = [rank for rank in (0, 1) if metrics.get(f"peak_gpu_{rank}_memory_MB", 0) > 0]
    assert device < 0 or used == [0, 1], f"GPU memory used by workers {used}, not by both: {metrics}"
else:
    assert config["trainer"]["cuda_device"] == device, \
        f"the config trained on {config['trainer']['cuda_device']}, not on JMT_CUDA_DEVICE={device}"
print(f"{run}: trained {metrics['epoch'] + 1} epochs, best epoch {metrics['best_epoch']}")
EOF
}

train_and_check() {  # train_and_check MODEL DIR [ARGS...]
  train "$@" && check_run "$2"
}

train_distributed() {  # train_distributed MODEL: on two devices (two GPUs; two CPU workers when DEVICE < 0)
  local dir=$OUT/distributed/$1 devices="{\"distributed\": {\"cuda_devices\": $DISTRIBUTED_DEVICES}}"
  train "$1" "$dir" -o "$devices" && check_run "$dir" distributed
}

recover_jmt() {  # JMT killed at its second epoch's first batch (tests/kill_on_second_epoch.py), then --recover
  local dir=$OUT/recover/jmt
  local callbacks='{"trainer.callbacks": [{"type": "jmt_successive_regularization", "weight": 0.01},
    {"type": "jmt_task_gradient_clipping"}, {"type": "jmt_test_kill_on_second_epoch"}]}'
  local args=(-o "$callbacks" --include-package tests.kill_on_second_epoch)
  if JMT_TEST_KILL_ON_SECOND_EPOCH=1 train jmt "$dir" "${args[@]}"; then
    echo "the first run was not killed"
    return 1
  fi
  [ -f "$dir/metrics_epoch_0.json" ] || { echo "the first run ended before its first epoch's end"; return 1; }
  train_and_check jmt "$dir" --recover "${args[@]}"
}

inputs() {  # inputs MODEL: the predictor inputs for MODEL, one JSON object a line
  if [ "$1" = crosslingual ]; then
    echo "$CROSSLINGUAL_INPUTS"
  else
    "$PY" -c 'import json, sys; [print(json.dumps(line)) for line in json.load(open(sys.argv[1]))["inputs"]]' \
      "fixtures/archives/${INPUTS_FIXTURE[$1]}.predictions.json"
  fi
}

predict() {  # predict MODEL: allennlp predict on $DEVICE with MODEL's archive; a JSON object out per line in
  local model=$1 given=$OUT/predict/$1.inputs.jsonl predicted=$OUT/predict/$1.jsonl
  inputs "$model" >"$given" &&
    "$PY" -m allennlp predict "$OUT/train/$model/model.tar.gz" "$given" --cuda-device "$DEVICE" \
      --predictor "${PREDICTOR[$model]}" --predictor-args "${PREDICTOR_ARGS[$model]}" \
      --output-file "$predicted" --silent "${PLUGIN[@]}" &&
    "$PY" - "$given" "$predicted" <<'EOF'
import json
import sys

given, predicted = (open(path).read().splitlines() for path in sys.argv[1:])
assert len(predicted) == len(given), f"{len(predicted)} predictions for {len(given)} inputs"
for line in predicted:
    output = json.loads(line)
    assert isinstance(output, dict) and output, f"not a prediction: {line[:200]}"
print(f"{len(predicted)} predictions, first: {predicted[0][:300]}")
EOF
}

for model in "${MODELS[@]}"; do
  step "train $model" train_and_check "$model" "$OUT/train/$model"
done
step "recover jmt" recover_jmt
for model in "${MODELS[@]}"; do
  if [ "$DISTRIBUTED" = 1 ]; then
    step "distributed $model" train_distributed "$model"
  else
    report SKIP "distributed $model" "GPU_SMOKE_DISTRIBUTED=$DISTRIBUTED; nvidia-smi -L lists $GPUS GPU(s)"
  fi
done
for model in "${MODELS[@]}"; do
  if [ -f "$OUT/train/$model/model.tar.gz" ]; then
    step "predict $model" predict "$model"
  else
    report FAIL "predict $model" "no archive: training failed"
    FAILURES=$((FAILURES + 1))
  fi
done

echo
echo "gpu_smoke summary (device $DEVICE, outputs in $OUT):"
printf '  %s\n' "${SUMMARY[@]}"
if [ "$FAILURES" -gt 0 ]; then
  echo "gpu_smoke: FAIL ($FAILURES step(s))"
  exit 1
fi
echo "gpu_smoke: PASS"
