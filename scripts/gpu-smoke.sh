#!/bin/sh
# GPU smoke test, run on a GPU host from an unpacked cosub distribution:
#   scripts/gpu-smoke.sh /path/to/cosub-VERSION [OUTPUT_DIR]
# Trains ViT-nano and ConvNeXt-nano with cosub for one epoch on the GPU (generated images, no
# data to install) and prints each run's training rate. Fails with a message when no GPU is
# seen or the libtorch is not the one DJL 0.36 needs.
#
# Java comes with the distribution (runtime/; else the host's Java 17+). The host provides a
# CUDA build of libtorch 2.7.1 (DJL 0.36's pairing), e.g. from
# https://download.pytorch.org/libtorch/cu128/ unpacked to /opt/libtorch:
#   export PYTORCH_LIBRARY_PATH=/opt/libtorch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
# DJL counts GPUs through libcudart: keep the CUDA runtime on LD_LIBRARY_PATH.
set -eu
dist=${1:?usage: gpu-smoke.sh COSUB_DISTRIBUTION_DIR [OUTPUT_DIR]}
out=${2:-gpu-smoke-output}
fail() { echo "gpu-smoke: FAILED: $*" >&2; exit 1; }

command -v nvidia-smi >/dev/null 2>&1 || fail "nvidia-smi not found: this host has no NVIDIA driver"
nvidia-smi -L | grep -q GPU || fail "nvidia-smi lists no GPU"
nvidia-smi -L
[ -n "${PYTORCH_LIBRARY_PATH:-}" ] || fail "PYTORCH_LIBRARY_PATH is not set: point it at a CUDA libtorch 2.7.1's lib folder"
[ -f "$PYTORCH_LIBRARY_PATH/libtorch_cuda.so" ] || fail "$PYTORCH_LIBRARY_PATH has no libtorch_cuda.so: not a CUDA build of libtorch"
[ "${PYTORCH_VERSION:-}" = "2.7.1" ] || fail "PYTORCH_VERSION is '${PYTORCH_VERSION:-}', DJL 0.36 needs libtorch 2.7.1 (another version fails inside DJL's JNI layer)"
case "${PYTORCH_FLAVOR:-}" in cu*) ;; *) fail "PYTORCH_FLAVOR is '${PYTORCH_FLAVOR:-}', expected the CUDA flavor, e.g. cu128" ;; esac

for architecture in vit convnext; do
  log="$out/$architecture.log"
  mkdir -p "$out"
  if ! "$dist/bin/cosub" train --architecture "$architecture" --method cosub --dataset synthetic \
      --trainSubset 6000 --epochs 1 --batchSize 128 --device gpu --outputDirectory "$out" > "$log" 2>&1; then
    tail -20 "$log" >&2
    fail "$architecture-nano did not train on the GPU (log: $log)"
  fi
  grep -q "device gpu" "$log" || fail "$architecture-nano did not run on a GPU (log: $log)"
  rate=$(grep -o '[0-9]* img/s' "$log" | tail -1)
  echo "gpu-smoke: $architecture-nano cosub, one epoch of 6,000 images on the GPU: $rate"
done
echo "gpu-smoke: passed"
