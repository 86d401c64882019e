#!/usr/bin/env bash
# The main job on the bundled example: set up, then work on the Jiangsu example dossier.
# Usage: scripts/demo.sh [EXAMPLE_DIR]   (default examples/jiangsu-zero-carbon-factory)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
example=${1:-examples/jiangsu-zero-carbon-factory}
export PATH="$PWD/.venv/bin:$PATH"
set -x
dossier schemes
dossier validate "$example"
dossier check "$example" --on 2026-12-15
