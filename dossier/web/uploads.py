"""Uploaded files: size limit, safe names, types sniffed from the content."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_NAME = 120  # characters of a stored file name (the suffix included)
MAX_NAME_BYTES = 200  # and its UTF-8 bytes (file systems allow 255; a “（2）” may be added)

# sniffed type → the suffixes it may carry (the first one is given when the name has none)
TYPES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "jpg": (".jpg", ".jpeg"),
    "png": (".png",),
    "gif": (".gif",),
    "bmp": (".bmp",),
    "tif": (".tif", ".tiff"),
    "webp": (".webp",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "ofd": (".ofd",),
    "doc": (".doc", ".xls", ".wps", ".et"),
}
TYPE_NAMES = {"pdf": "PDF", "jpg": "JPEG 图片", "png": "PNG 图片", "gif": "GIF 图片", "bmp": "BMP 图片", "tif": "TIFF 图片",
              "webp": "WebP 图片", "docx": "Word 文档", "xlsx": "Excel 工作簿", "ofd": "OFD 文件", "doc": "旧版 Office 文档"}
EVIDENCE_TYPES = tuple(TYPES)


def sniff(data: bytes) -> str | None:
    """The file's type from its first bytes (and, for zip containers, their members)."""
    head = data[:16]
    if data[:1024].lstrip(b"\x00\t\r\n \xef\xbb\xbf").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def safe_name(name: str, kind: str) -> str:
    """A file name that is safe to store: the last component only, no control characters
    or reserved characters, not hidden, at most :data:`MAX_NAME` characters, with a suffix
    that matches the sniffed type."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"[:*?\"<>|]", "_", name).strip().lstrip(".").strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in TYPES[kind]:
        stem, suffix = (name if not dot else stem), TYPES[kind][0]
    stem = stem.strip(". ") or "文件"
    stem = stem[: MAX_NAME - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix


@dataclass
class Upload:
    name: str   # sanitised
    data: bytes
    kind: str   # sniffed


async def read_upload(request: Request, upload, allowed: tuple[str, ...] = EVIDENCE_TYPES) -> Upload:
    """The uploaded file, checked: 413 over the size limit, 400 for an unknown type."""
    limit = request.app.state.max_upload
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "没有收到文件")
    if upload.size is not None and upload.size > limit:
        raise HTTPException(413, f"文件“{upload.filename}”超过上传大小上限 {limit // (1024 * 1024)} MB")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"文件“{upload.filename}”超过上传大小上限 {limit // (1024 * 1024)} MB")
    if not data:
        raise HTTPException(400, f"文件“{upload.filename}”是空的")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        names = "、".join(dict.fromkeys(TYPE_NAMES[k] for k in allowed))
        raise HTTPException(400, f"文件“{upload.filename}”的内容不是可接受的类型（{names}）")
    return Upload(safe_name(upload.filename or "", kind), data, kind)


async def check_length(request: Request) -> None:
    """Refuse a request whose declared body is over the limit before reading it."""
    length = request.headers.get("content-length")
    limit = request.app.state.max_upload
    if length and length.isdigit() and int(length) > limit + 1024 * 1024:
        raise HTTPException(413, f"上传内容超过大小上限 {limit // (1024 * 1024)} MB")
