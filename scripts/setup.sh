#!/usr/bin/env bash
# Set up everything dossier needs on this machine, idempotently:
#   1. system packages (LibreOffice for .docx → PDF, CJK fonts, poppler, the libraries
#      the OCR engine needs) via apt-get
#      where we are allowed to install them, with a clear message where we are not;
#   2. a virtual environment .venv with dossier and its Python dependencies.
# Used by scripts/demo.sh and scripts/test.sh (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-uno: the UNO bridge through which dossier/render/pdf.py drives one LibreOffice
# for a whole batch and refreshes tables of contents (目录 page numbers) before export.
# libgl1 and libglib2.0-0: shared libraries that opencv-python (pulled in by the OCR
# engine rapidocr-onnxruntime, dossier extract) loads; absent on minimal systems.
# chromium and chromium-driver: the real browser of the web workspace's end-to-end tests.
SYSTEM_PACKAGES=(libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming
                 poppler-utils libgl1 libglib2.0-0 chromium chromium-driver)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] 安装系统软件包：${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[setup] 缺少系统软件包：${missing[*]}" >&2
    echo "[setup] 请以管理员身份安装：sudo apt-get install ${missing[*]}" >&2
    echo "[setup] （未安装时，需要 LibreOffice 或 OCR 的功能会给出提示并以退出码 3 结束）" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "[setup] 创建虚拟环境 .venv" >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.dossier-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "[setup] 安装 Python 依赖" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi
