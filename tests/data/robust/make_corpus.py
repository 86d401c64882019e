"""The robustness corpus of issue 13: bad and odd evidence files, made by this script.

    python tests/data/robust/make_corpus.py DIR          # every file, small and large
    python tests/data/robust/make_corpus.py DIR --small  # only the small ones (committed in files/)

Each file reproduces one finding of the reliability review (December 2026) with the
same structure as the public test files it describes (pdf.js, pypdf, pdfminer.six and
qpdf corpora: nested arrays, flate bombs, self-referencing /Length, fuzzed ASCIIHex,
missing /Type) — written from scratch here so the repository carries no third-party
documents. ``EXPECT`` says, per file, whether a build can use it.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

# file name → True when the file is usable evidence (it must end up in the package)
EXPECT: dict[str, bool] = {}
LARGE: set[str] = set()


def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with a correct xref table from numbered object bodies (1-based)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_pdf(content: bytes, compress: bool = False, page_extra: bytes = b"") -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
        _stream(content, compress=compress),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


GOOD_TEXT = b"BT /F1 24 Tf 72 760 Td (Business licence 2025) Tj ET"


def good_pdf() -> bytes:
    return _page_pdf(GOOD_TEXT)


def small_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    def add(name: str, data: bytes, usable: bool) -> None:
        files[name] = data
        EXPECT[name] = usable

    add("good-text.pdf", good_pdf(), True)
    add("rotated-page.pdf", _page_pdf(GOOD_TEXT, page_extra=b"/Rotate 90 "), True)
    add("zero-bytes.pdf", b"", False)
    add("truncated.pdf", good_pdf()[:300], False)
    add("html-named.pdf", "<html><body>登录超时，请重新登录</body></html>".encode(), False)
    # /Length refers to the stream object itself (pypdf: "self-referencing /Length")
    add("self-length.pdf", _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\n" + GOOD_TEXT + b"\nendstream",
    ]), False)
    # a fuzzed ASCIIHex stream as the page content
    add("asciihex-fuzz.pdf", _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"4G5Z zz \xff\xfe 0x9 ###", b" /Filter /ASCIIHexDecode"),
    ]), False)
    # pages tree whose kid has no /Type and no /MediaBox
    add("no-page-type.pdf", _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Contents 4 0 R >>",
        _stream(GOOD_TEXT),
    ]), False)
    add("truncated.jpg", _jpeg()[:600], False)
    add("html-named.png", b"<html>not an image</html>", False)
    add("good.png", _png(40, 30), True)
    add("random-bytes.docx", bytes((i * 7919 + 13) % 256 for i in range(3000)), False)
    add("old-doc-renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, False)
    add("zip-not-docx.docx", _zip({"readme.txt": b"just a zip"}), False)
    add("broken-docx-parts.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not xml"}), False)
    return files


def _png(width: int, height: int, rows: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = rows if rows is not None else b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (120, 160, 200)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():  # a fixed date: the same bytes on every run
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- large (generated, not committed) ----------------------------------------------------

def huge_png(side: int = 30000) -> bytes:
    """30 000 × 30 000 grey pixels (900 M) in about 1 MB."""
    comp = zlib.compressobj(1)
    row = b"\x00" + b"\x00" * side
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def many_frame_gif(frames: int = 100, side: int = 4000) -> bytes:
    """A GIF of ``frames`` frames of ``side`` × ``side`` px, each a few bytes of LZW."""
    out = io.BytesIO()
    out.write(b"GIF89a" + struct.pack("<HH", side, side) + b"\xf0\x00\x00" + b"\x00\x00\x00\xff\xff\xff")
    out.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
    for _ in range(frames):
        out.write(b"\x21\xf9\x04\x04\x00\x00\x00\x00")  # graphic control: dispose none
        out.write(b"\x2c" + struct.pack("<HHHH", 0, 0, side, side) + b"\x00")
        out.write(b"\x02\x02\x4c\x01\x00")  # min code size 2, one sub-block: clear + end
    out.write(b"\x3b")
    return out.getvalue()


def nested_arrays_pdf(depth: int = 200_000) -> bytes:
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Nested " + b"[" * depth + b"]" * depth + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(GOOD_TEXT),
    ])


def flate_bomb_pdf(megabytes: int = 400) -> bytes:
    """A page whose content stream inflates to ``megabytes`` MB of spaces."""
    comp = zlib.compressobj(6)
    block = b" " * (1 << 20)
    data = b"".join(comp.compress(block) for _ in range(megabytes)) + comp.flush()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def zip_bomb_docx(megabytes: int = 800) -> bytes:
    """A .docx whose document.xml claims ``megabytes`` MB inside a small zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as handle:
            block = b"A" * (1 << 20)
            for _ in range(megabytes):
                handle.write(block)
    return buffer.getvalue()


def large_files() -> dict[str, bytes]:
    files = {
        "huge-30000px.png": huge_png(),
        "gif-100-frames-4000px.gif": many_frame_gif(),
        "nested-arrays-200000.pdf": nested_arrays_pdf(),
        "flate-bomb-400MB.pdf": flate_bomb_pdf(),
        "zip-bomb-800MB.docx": zip_bomb_docx(),
    }
    for name in files:
        EXPECT[name] = False
        LARGE.add(name)
    return files


def make(folder: Path, *, small_only: bool = False) -> dict[str, bool]:
    """Write the corpus into ``folder``; returns {file name: usable}."""
    folder.mkdir(parents=True, exist_ok=True)
    files = small_files()
    if not small_only:
        files.update(large_files())
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: EXPECT[name] for name in files}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "files"
    made = make(target, small_only="--small" in sys.argv)
    print(f"{len(made)} files in {target}")
