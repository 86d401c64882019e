"""OCR engines for scanned pages and photos, behind one small interface.

Two engines were measured on the scans of ``tests/data/extract`` (200 dpi, skewed,
noisy, a red seal over the text; see ``benchmarks/extract_bench.py``):

- ``rapidocr`` — PaddleOCR PP-OCRv4 Chinese models run by onnxruntime, shipped inside
  the PyPI wheel ``rapidocr-onnxruntime`` (Apache-2.0), fully offline. About 1 % of
  characters wrong, 2–3 s per page on two cores. The default.
- ``tesseract`` — Debian's ``tesseract-ocr`` with ``chi_sim`` (what ocrmypdf runs).
  About 20 % of characters wrong on the same pages (it splits and reorders table
  cells and loses characters under the seal), and slower. Used only when rapidocr is
  not installed (e.g. Python 3.13, for which that wheel is not built).

Both return :class:`~dossier.extract.layout.SkewedSegment` s in image pixels, one per
detected text box, so the page is laid out the same way as a text layer.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..errors import SystemComponentError
from .layout import SkewedSegment, normalise_text

INSTALL_RAPIDOCR = "pip install rapidocr-onnxruntime（在 dossier 的虚拟环境中：.venv/bin/pip install rapidocr-onnxruntime）"
INSTALL_TESSERACT = "sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim"
INSTALL_LIBS = "sudo apt-get install libgl1 libglib2.0-0"

# Longest side the image is scaled to before recognition: 200–300 dpi A4 pages keep
# their resolution; phone photos (4000 px) are reduced, which also bounds the time.
MAX_SIDE = 2800


class OcrEngine(Protocol):
    name: str

    def recognise(self, image) -> list[SkewedSegment]:  # image: PIL.Image.Image
        ...


def prepare(image):
    """Grey image for OCR with coloured ink removed.

    A grey value taken as the *brightest* of the three channels turns a red seal (high
    R) and a blue signature (high B) nearly white, while black print stays black: the
    measured character error under a seal drops from ~2 % to ~1 %.
    """
    import numpy as np
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    scale = min(1.0, MAX_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    if image.mode == "RGB":
        grey = np.asarray(image).max(axis=2)
    else:
        grey = np.asarray(image)
    return grey, scale


class RapidOcr:
    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            # opencv (under rapidocr) needs libGL and glib, which minimal systems lack:
            # "libGL.so.1: cannot open shared object file"
            library = re.search(r"lib[\w.+-]+\.so[\w.]*", str(exc))
            if library:
                raise SystemComponentError(
                    f"OCR 引擎 rapidocr 缺少系统库 {library.group()}：请运行 {INSTALL_LIBS}") from exc
            raise SystemComponentError(f"缺少 OCR 引擎 rapidocr：请运行 {INSTALL_RAPIDOCR}") from exc
        # The angle classifier only matters for upside-down text lines; pages are
        # turned by EXIF or are upright scans, and it costs ~10 % of the time.
        # The page is scaled to 1600 px on its long side (≈ 140 dpi for A4) before
        # detection and recognition: rapidocr's default, 2000 px, took twice as long
        # on the corpus scans for the same fields (100 % right at both sizes).
        self._engine = RapidOCR(use_cls=False, print_verbose=False, max_side_len=1600)

    def recognise(self, image) -> list[SkewedSegment]:
        import numpy as np

        grey, scale = prepare(image)
        rgb = np.stack([grey] * 3, axis=2)
        result, _ = self._engine(rgb, use_cls=False)
        segments = []
        for box, text, score in result or []:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
            text = normalise_text(text)
            if not text:
                continue
            # Angle of the box's top edge; positive when the line rises to the right.
            angle = math.degrees(math.atan2(-(y1 - y0), (x1 - x0) or 1e-6))
            segments.append(
                SkewedSegment(
                    text=text,
                    x0=min(x0, x3) / scale,
                    x1=max(x1, x2) / scale,
                    top=min(y0, y1) / scale,
                    bottom=max(y2, y3) / scale,
                    confidence=float(score),
                    angle=angle,
                )
            )
        return segments


class Tesseract:
    """``tesseract IMAGE - -l chi_sim tsv``: word boxes merged into text boxes."""

    name = "tesseract"

    def __init__(self) -> None:
        exe = shutil.which("tesseract")
        if not exe:
            raise SystemComponentError(f"缺少 OCR 引擎 tesseract：请运行 {INSTALL_TESSERACT}")
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()
        if "chi_sim" not in langs:
            raise SystemComponentError(f"tesseract 缺少简体中文语言包 chi_sim：请运行 {INSTALL_TESSERACT}")
        self._exe = exe

    def recognise(self, image) -> list[SkewedSegment]:
        from PIL import Image

        grey, scale = prepare(image)
        with tempfile.TemporaryDirectory(prefix="dossier_ocr_") as tmp:
            path = Path(tmp) / "page.png"
            Image.fromarray(grey).save(path)
            try:
                out = subprocess.run(
                    [self._exe, str(path), "-", "-l", "chi_sim+eng", "--psm", "3", "tsv"],
                    capture_output=True, text=True, timeout=300,
                )
            except subprocess.TimeoutExpired as exc:
                raise SystemComponentError("tesseract 识别超时（300 秒）") from exc
        if out.returncode != 0:
            raise SystemComponentError(f"tesseract 运行失败：{out.stderr.strip()[:200]}")
        # One TSV row per word; words of one (block, paragraph, line) form a text box.
        boxes: dict[tuple[str, str, str], list[tuple[int, int, int, int, float, str]]] = {}
        for row in out.stdout.splitlines()[1:]:
            parts = row.split("\t")
            if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
                continue
            left, top, width, height = (int(v) for v in parts[6:10])
            boxes.setdefault((parts[2], parts[3], parts[4]), []).append(
                (left, top, width, height, float(parts[10]), parts[11])
            )
        segments = []
        for words in boxes.values():
            # Split a tesseract line where words are far apart: two table cells.
            group = [words[0]]
            for word in words[1:] + [None]:
                if word is not None:
                    prev = group[-1]
                    gap = word[0] - (prev[0] + prev[2])
                    if gap <= 1.5 * max(prev[3], word[3]):
                        group.append(word)
                        continue
                text = normalise_text(" ".join(w[5] for w in group))
                if text:
                    segments.append(
                        SkewedSegment(
                            text=text,
                            x0=group[0][0] / scale,
                            x1=(group[-1][0] + group[-1][2]) / scale,
                            top=min(w[1] for w in group) / scale,
                            bottom=max(w[1] + w[3] for w in group) / scale,
                            confidence=max(0.0, min(1.0, sum(w[4] for w in group) / len(group) / 100)),
                        )
                    )
                group = [word] if word is not None else []
        return segments


ENGINES = {"rapidocr": RapidOcr, "tesseract": Tesseract}


@lru_cache(maxsize=4)
def get_engine(name: str | None = None) -> OcrEngine:
    """The named engine, or the best one installed (rapidocr, then tesseract).

    Raises :class:`SystemComponentError` (exit 3) naming the install command.
    """
    if name:
        if name not in ENGINES:
            raise SystemComponentError(f"未知的 OCR 引擎 {name!r}；可用：{', '.join(ENGINES)}")
        return ENGINES[name]()
    try:
        return RapidOcr()
    except SystemComponentError as first:
        try:
            return Tesseract()
        except SystemComponentError:
            raise SystemComponentError(
                "扫描件和图片需要 OCR 引擎，但未安装。请运行 "
                f"{INSTALL_RAPIDOCR}；或安装 tesseract：{INSTALL_TESSERACT}"
            ) from first
