"""OCR engines for scanned pages and photos, behind one small interface.

Two engines were measured on the scans of ``tests/data/extract`` (200 dpi, skewed,
noisy, a red seal over the text; see ``benchmarks/extract_bench.py``):

- ``rapidocr`` — PaddleOCR PP-OCRv4 Chinese models shipped inside the PyPI wheel
  ``rapidocr-onnxruntime`` (Apache-2.0), fully offline. About 1 % of characters wrong.
  The default. The models are run by OpenVINO when it is installed (the ``openvino``
  wheel, a dependency): the same models give the same text at about half the CPU time
  of onnxruntime on this machine's AMD EPYC (AVX2); else by onnxruntime.
- ``tesseract`` — Debian's ``tesseract-ocr`` with ``chi_sim`` (what ocrmypdf runs).
  About 20 % of characters wrong on the same pages (it splits and reorders table
  cells and loses characters under the seal), and slower. Used only when rapidocr is
  not installed (e.g. Python 3.13, for which that wheel is not built).

Both return :class:`~dossier.extract.layout.SkewedSegment` s in image pixels, one per
detected text box, so the page is laid out the same way as a text layer.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ..errors import SystemComponentError
from ..fileio import atomic_write_bytes
from .layout import SkewedSegment, normalise_text

INSTALL_RAPIDOCR = "pip install rapidocr-onnxruntime（在 dossier 的虚拟环境中：.venv/bin/pip install rapidocr-onnxruntime）"
INSTALL_OPENVINO = ".venv/bin/pip install openvino"
INSTALL_TESSERACT = "sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim"
INSTALL_LIBS = "sudo apt-get install libgl1 libglib2.0-0"

# Longest side the image is scaled to before recognition: 200–300 dpi A4 pages keep
# their resolution; phone photos (4000 px) are reduced, which also bounds the time.
MAX_SIDE = 2800


class OcrEngine(Protocol):
    name: str

    def recognise(self, image) -> list[SkewedSegment]:  # image: PIL.Image.Image
        ...


# rapidocr: the page is read at REC_SIDE px on its long side, its text found at DET_SIDE;
# a line read with a lower score than TEXT_SCORE is dropped (rapidocr's own default).
REC_SIDE = 1600
DET_SIDE = 1280
TEXT_SCORE = 0.5

# Below this long side a page is enlarged before recognition (a 410×582 thumbnail of a
# certificate): the detector misses characters a few pixels high.
MIN_SIDE = 1400
UPSCALE_TO = 1600


def flatten(image):
    """RGB or grey with transparency laid on WHITE (a PNG licence with a transparent
    background turns black under a plain convert("RGB"), and so does its text)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    return image


def trim_dark_margins(grey):
    """Cut the black bands a scanner leaves around a page (rows and columns at the edges
    that are almost all dark)."""

    dark = grey < 60
    rows, cols = dark.mean(axis=1), dark.mean(axis=0)
    top, bottom, left, right = 0, len(rows), 0, len(cols)
    while top < bottom - 10 and rows[top] > 0.8:
        top += 1
    while bottom > top + 10 and rows[bottom - 1] > 0.8:
        bottom -= 1
    while left < right - 10 and cols[left] > 0.8:
        left += 1
    while right > left + 10 and cols[right - 1] > 0.8:
        right -= 1
    return grey[top:bottom, left:right], (left, top)


def prepare(image, max_side: int = MAX_SIDE):
    """Grey image for OCR with coloured ink removed, EXIF orientation applied,
    transparency on white, black scan margins cut, and scaled to the engine's working
    size (small images enlarged, phone photos reduced).

    A grey value taken as the *brightest* of the three channels turns a red seal (high
    R) and a blue signature (high B) nearly white, while black print stays black: the
    measured character error under a seal drops from ~2 % to ~1 %.

    Returns ``(grey, scale, offset)``: boxes found on ``grey`` map back to the image as
    ``x / scale + offset``.
    """
    import numpy as np
    from PIL import Image, ImageOps

    image = flatten(ImageOps.exif_transpose(image))
    if image.mode == "RGB":
        grey = np.asarray(image).max(axis=2)
    else:
        grey = np.asarray(image.convert("L"))
    grey, offset = trim_dark_margins(grey)
    longest = max(grey.shape)
    scale = min(1.0, max_side / longest)
    if longest < MIN_SIDE:
        scale = UPSCALE_TO / longest
    if scale != 1.0:
        resized = Image.fromarray(grey).resize((round(grey.shape[1] * scale), round(grey.shape[0] * scale)),
                                               Image.LANCZOS if scale < 1 else Image.BICUBIC)
        grey = np.asarray(resized)
    return grey, scale, offset


def _no_spinning() -> None:
    """onnxruntime's worker threads spin while waiting for work by default: on a machine
    shared with other work (two cores, several jobs) that burns a quarter of the CPU time
    of a page for nothing (measured: 6.2 → 4.6 CPU seconds on a licence). rapidocr does
    not expose the session options, so its option builder is wrapped, if it is there."""
    try:
        from rapidocr_onnxruntime.utils import infer_engine
    except ImportError:
        return
    build = getattr(infer_engine.OrtInferSession, "_init_sess_opts", None)
    if build is None or getattr(build, "_dossier_no_spin", False):
        return

    def options(config):
        opts = build(config)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return opts

    options._dossier_no_spin = True
    infer_engine.OrtInferSession._init_sess_opts = staticmethod(options)


# Which runtime runs rapidocr's models: "openvino" when it loads, else "onnxruntime".
# DOSSIER_OCR_BACKEND=onnxruntime (or openvino) chooses one (benchmarks compare them).
BACKENDS = ("openvino", "onnxruntime")


class _OpenVinoModel:
    """One of rapidocr's onnx models compiled by OpenVINO, called as rapidocr calls its
    onnxruntime session: ``model(batch)`` → ``[output]``.

    Measured on the real corpus's 800 recognised lines (benchmarks/extract_real.py):
    every line's text identical to onnxruntime's, about half the CPU time. Computed in
    float32 (``INFERENCE_PRECISION_HINT``): on CPUs with bf16 units OpenVINO would
    otherwise compute in bf16 and the text could differ from what was measured.
    """

    CONFIG = {"INFERENCE_PRECISION_HINT": "f32"}

    def __init__(self, core, path: Path) -> None:
        self._compiled = _load_compiled(core, path, self.CONFIG)
        self._request = self._compiled.create_infer_request()

    def __call__(self, batch):
        # the output buffer is reused by the next call: copied out
        return [self._request.infer({0: batch})[0].copy()]


def openvino_threads() -> int:
    """Threads for OpenVINO: every core, or one when the machine is already busy (load
    average ≥ cores − 0.5 when the engine starts).

    Measured on the real corpus's 21 OCR files in one process, interleaved, load
    2.5–2.8 on two cores: 67.6/67.9 s with two threads, 62.7/56.4 s with one (and less
    CPU: 61.2/56.1 s against 65.0/66.0 s); a second thread then only waits for a core.
    The text read is the same with either (every box and line of the corpus).
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        return cores
    return 1 if load >= cores - 0.5 else cores


def openvino_cache_dir() -> Path:
    """Where compiled models are kept between runs: ``$DOSSIER_CACHE_DIR/openvino``, by
    default ``$XDG_CACHE_HOME/dossier/openvino`` (``~/.cache/dossier/openvino``)."""
    if os.environ.get("DOSSIER_CACHE_DIR"):
        return Path(os.environ["DOSSIER_CACHE_DIR"]) / "openvino"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier" / "openvino"


def _load_compiled(core, path: Path, config: dict):
    """``path`` compiled for this CPU, from the cache when it is there.

    Compiling the three models takes ~0.8 s at every start; importing what OpenVINO
    exported the first time ~0.2 s. The cache file is named by everything the compiled
    model depends on (OpenVINO's version, the model file, the settings, the CPU) and
    written whole or not at all (a temporary file renamed); an unreadable or damaged
    one is compiled anew and replaced; a cache folder that cannot be written is no
    error: the model is then compiled at every start.
    """
    import hashlib
    import io

    import openvino

    stat = path.stat()
    key = "|".join([openvino.__version__, str(path.resolve()), str(stat.st_size), str(stat.st_mtime_ns),
                    repr(sorted(config.items())), str(core.get_property("CPU", "FULL_DEVICE_NAME")),
                    repr(core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"))])
    cached = openvino_cache_dir() / f"{path.stem}-{hashlib.sha256(key.encode()).hexdigest()[:24]}.blob"
    try:
        return core.import_model(io.BytesIO(cached.read_bytes()), "CPU", config)
    except Exception:  # not cached yet, unreadable, or damaged: compiled below
        pass
    compiled = core.compile_model(core.read_model(str(path)), "CPU", config)
    try:
        atomic_write_bytes(cached, compiled.export_model().getvalue())
    except Exception:  # a read-only or full disk: no cache, no error
        pass
    return compiled


def _use_openvino(engine, threads: int | None = None) -> int:
    """Run ``engine``'s detector, classifier and recogniser with OpenVINO; returns its
    thread count, or 0 (and onnxruntime stays) when OpenVINO is missing or cannot
    compile the models."""
    try:
        import openvino
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime.utils import read_yaml

        root = Path(rapidocr_onnxruntime.__file__).parent
        config = read_yaml(str(root / "config.yaml"))
        core = openvino.Core()
        threads = threads or openvino_threads()
        core.set_property("CPU", {"INFERENCE_NUM_THREADS": threads})
        det, cls, rec = (_OpenVinoModel(core, root / config[part]["model_path"]) for part in ("Det", "Cls", "Rec"))
    except Exception:  # not installed, no wheel for this platform, a CPU it does not support
        return 0
    engine.text_det.infer, engine.text_cls.infer, engine.text_rec.session = det, cls, rec
    return threads


class RapidOcr:
    name = "rapidocr"
    page_side = REC_SIDE  # a PDF page is rendered this large (long side, px) for it

    def __init__(self, backend: str | None = None, threads: int | None = None) -> None:
        """``backend``: "openvino" or "onnxruntime" (default: DOSSIER_OCR_BACKEND, else
        OpenVINO when it loads); ``threads``: OpenVINO's (default: openvino_threads())."""
        backend = backend or os.environ.get("DOSSIER_OCR_BACKEND") or None
        if backend is not None and backend not in BACKENDS:
            raise SystemComponentError(f"未知的 OCR 运行库 {backend!r}；可用：{', '.join(BACKENDS)}")
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
        # The page is recognised at 1600 px on its long side (≈ 140 dpi for A4): rapidocr's
        # default, 2000 px, took twice as long on the corpus scans for the same fields.
        # Text is FOUND on a copy reduced to DET_SIDE px and READ from the 1600 px page:
        # detection costs ~0.6× and its tighter boxes leave ~8 % less to recognise; at
        # 1024 px four corpus fields were lost (a credit code, two holders, a date).
        _no_spinning()
        self._engine = RapidOCR(use_cls=False, print_verbose=False, max_side_len=REC_SIDE)
        self.backend, self.threads = "onnxruntime", None  # None: onnxruntime's own choice
        if backend != "onnxruntime":
            self.threads = _use_openvino(self._engine, threads) or None
            if self.threads:
                self.backend = "openvino"
            elif backend == "openvino":
                raise SystemComponentError(f"OCR 运行库 openvino 不可用：请运行 {INSTALL_OPENVINO}")

    def detect(self, grey):
        """Text boxes (n × 4 × 2, float32, in ``grey``'s pixels), top to bottom."""
        import numpy as np
        from PIL import Image

        factor = min(1.0, DET_SIDE / max(grey.shape))
        small = grey if factor == 1.0 else np.asarray(
            Image.fromarray(grey).resize((round(grey.shape[1] * factor), round(grey.shape[0] * factor)), Image.BILINEAR))
        boxes, _ = self._engine.text_det(np.stack([small] * 3, axis=2))
        if boxes is None or len(boxes) == 0:
            return []
        boxes = (np.asarray(boxes, dtype=np.float32) / factor).astype(np.float32)
        height, width = grey.shape
        boxes[:, :, 0] = boxes[:, :, 0].clip(0, width - 1)
        boxes[:, :, 1] = boxes[:, :, 1].clip(0, height - 1)
        return self._engine.sorted_boxes(boxes)

    def orientation(self, grey, boxes) -> int:
        """Quarter turns (``np.rot90``'s k) that bring the page upright.

        The boxes say whether lines run across (0 or 180°) or down (90 or 270°); the
        engine's line-direction classifier (0° or 180°, on 48 × 192 px) then reads the
        start of the longest lines, each cut to four times its height (lines running
        down turned a quarter to lie across first); the weighted vote decides. A few milliseconds: no second
        detection, no recognition.
        """
        import numpy as np

        if len(boxes) < 3:
            return 0
        dims = [(float(np.linalg.norm(b[1] - b[0])), float(np.linalg.norm(b[3] - b[0]))) for b in boxes]
        tall = sum(1 for w, h in dims if h > 1.5 * w)
        wide = sum(1 for w, h in dims if w > 1.5 * h)
        down = tall > wide
        lines = [i for i in range(len(boxes)) if max(dims[i]) >= 2 * min(dims[i])]
        biggest = sorted(lines, key=lambda i: -max(dims[i]))[:8]
        crops = []
        for i in biggest:
            x0, y0 = np.floor(boxes[i].min(axis=0)).astype(int)
            x1, y1 = np.ceil(boxes[i].max(axis=0)).astype(int)
            crop = grey[max(y0, 0):y1 + 1, max(x0, 0):x1 + 1]
            if down:  # turned as np.rot90(page, 1) would turn it, to lie across
                crop = np.rot90(crop[: 4 * crop.shape[1]], 1)
            else:
                crop = crop[:, : 4 * crop.shape[0]]
            if crop.size and min(crop.shape) >= 4:
                crops.append(np.ascontiguousarray(np.stack([crop] * 3, axis=2)))
        if not crops:
            return 1 if down else 0
        _, results, _ = self._engine.text_cls(crops)
        flipped = sum(score for label, score in results if "180" in label)
        upright = sum(score for label, score in results if "180" not in label)
        if down:
            return 3 if flipped > upright else 1
        return 2 if flipped > upright else 0

    def recognise(self, image) -> list[SkewedSegment]:
        import numpy as np

        grey, scale, offset = prepare(image, REC_SIDE)
        boxes = self.detect(grey)
        turns = self.orientation(grey, boxes)
        if turns:
            # boxes are then in the turned page's pixels: the page is laid out upright
            grey = np.ascontiguousarray(np.rot90(grey, turns))
            offset = (0, 0)
            boxes = self.detect(grey)
        if not len(boxes):
            return []
        rgb = np.stack([grey] * 3, axis=2)
        crops = self._engine.get_crop_img_list(rgb, boxes)
        results, _ = self._engine.text_rec(crops, True)
        segments = []
        for box, crop, (text, score, *info) in zip(boxes, crops, results):
            text = normalise_text(restore_spaces(text, info[0] if info else None, crop))
            if not text or score < TEXT_SCORE:
                continue
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box.tolist()
            # Angle of the box's top edge; positive when the line rises to the right.
            angle = math.degrees(math.atan2(-(y1 - y0), (x1 - x0) or 1e-6))
            dx, dy = offset
            segments.append(
                SkewedSegment(
                    text=text,
                    x0=min(x0, x3) / scale + dx,
                    x1=max(x1, x2) / scale + dx,
                    top=min(y0, y1) / scale + dy,
                    bottom=max(y2, y3) / scale + dy,
                    confidence=float(score),
                    angle=angle,
                )
            )
        return segments


# A blank run this wide (× the line's height), and 1.6 × the line's wider gaps between
# letters (its 75th percentile), is a space between words (measured on the corpus's
# English certificates: word gaps 0.25–0.6, letter gaps 0.0–0.12; letter-spaced titles
# and typewriter fonts have wide gaps throughout, and get none).
SPACE_GAP = 0.2


def restore_spaces(text: str, word_info, crop) -> str:
    """Put back the spaces between English words the recogniser dropped
    ("GulfNitrogenContracting" → "Gulf Nitrogen Contracting").

    ``word_info`` is rapidocr's ``(columns, words, word columns, …)`` for the line: the
    output column of every character, hence its x in ``crop``. Between two Latin
    letters (or a letter and a digit) the widest run of ink-free pixel columns is
    measured; a wide one is a space. Only between two letters: a letter next to a digit is
    most often inside a code ("HYJZ19Q01349R0S", "ISO14001"), which must stay whole;
    Chinese needs no spaces.
    """
    import numpy as np

    if not word_info or not text.isascii() and not any(c.isascii() and c.isalpha() for c in text):
        return text
    try:
        columns, words = float(word_info[0]), word_info[2]
        cols = [int(c) for word in words for c in word]
    except (TypeError, ValueError, IndexError):
        return text
    if len(cols) != len(text) or columns <= 0 or len(text) < 2:
        return text
    grey = crop[..., 0] if crop.ndim == 3 else crop
    height, width = grey.shape
    low, high = int(grey.min()), int(grey.max())
    if high - low < 60:
        return text
    blank = ~(grey < (low + high) / 2).any(axis=0)
    unit = width / columns
    gaps: dict[int, float] = {}
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if not (a.isascii() and b.isascii() and a.isalpha() and b.isalpha()):
            continue
        run = best = 0
        for empty in blank[int((cols[i - 1] + 0.5) * unit):int((cols[i] + 0.5) * unit)]:
            run = run + 1 if empty else 0
            best = max(best, run)
        gaps[i] = best / height
    if not gaps:
        return text
    usual = float(np.percentile(list(gaps.values()), 75))  # a wide gap between letters
    steps = float(np.median([cols[i] - cols[i - 1] for i in gaps]))
    out = [text[0]]
    for i in range(1, len(text)):
        # wide on the page, and a longer step than usual between the recogniser's columns
        # (a thin "i" in a blurred photo leaves a wide blank but no longer step)
        if i in gaps and gaps[i] >= SPACE_GAP and gaps[i] >= 1.6 * usual + 0.02 and cols[i] - cols[i - 1] > steps:
            out.append(" ")
        out.append(text[i])
    return "".join(out)


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

        grey, scale, _ = prepare(image)
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
        if os.environ.get("DOSSIER_OCR_BACKEND"):
            raise  # that runtime was asked for: say it is missing, not something else
        try:
            return Tesseract()
        except SystemComponentError:
            raise SystemComponentError(
                "扫描件和图片需要 OCR 引擎，但未安装。请运行 "
                f"{INSTALL_RAPIDOCR}；或安装 tesseract：{INSTALL_TESSERACT}"
            ) from first
