#!/usr/bin/env bash
# The main job on the bundled example: set up, then build the submission package of the
# Jiangsu example dossier (forms, evidence, cover, 目录, page numbers) and show its score.
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
dossier score "$example" || true   # exit 1 = not eligible: shown, not a failure of the demo
dossier build "$example"
set +x
echo
echo "网页工作台（在浏览器中完成同样的工作）：运行"
echo "  .venv/bin/dossier serve examples"
echo "然后打开 http://127.0.0.1:8765/ （只监听本机；Ctrl+C 停止）"
