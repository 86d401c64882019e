"""``dossier build``: the package a user hands in — order, 目录 page numbers, bookmarks,
page stamps, manifest, zip, missing and unreadable evidence, signed scans, atomic output,
size limit."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from dossier.cli import main
from dossier.package import parse_size
from dossier.errors import BadInputError

from .conftest import EXAMPLES
from .forms_support import pdf_text

SCHEME = "jiangsu-zero-carbon-factory"
NAME = "常州澜衡汽车零部件有限公司"
STAMP = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def page_texts(pdf: Path) -> list[str]:
    text = pdf_text(pdf)
    return text.split("\f")[: len(PdfReader(str(pdf)).pages)]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    directory = root / SCHEME
    shutil.copytree(EXAMPLES / SCHEME, directory)
    before = tree_digest(directory / "evidence")
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["build", str(directory), "--json"])
    assert result.exit_code in (0, 1), result.output  # 1 only if the scoring says not eligible
    return directory, json.loads(result.output), before


def test_package_is_named_after_the_enterprise_with_forms_zip_and_manifest(built):
    directory, report, _ = built
    out = directory / "output" / "package"
    assert report["packages"] == [str(out / f"{NAME}.pdf")]
    assert report["complete"] is True and report["missing"] == []
    forms = sorted(p.name for p in (out / "forms").iterdir())
    assert forms == ["附件2 江苏省零碳（近零碳）工厂入库申报表.docx", "附件3 江苏省零碳（近零碳）工厂申报书.docx"]
    with zipfile.ZipFile(out / f"{NAME}.zip") as zf:
        assert sorted(zf.namelist()) == sorted([f"{NAME}.pdf", "manifest.json", *(f"forms/{f}" for f in forms)])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [i["no"] for i in manifest["items"]] == list(range(1, 15))  # the 14 items of 附件1-3, in order
    for item in manifest["items"]:
        for f in item["files"]:
            if f["kind"] != "form":
                assert f["sha256"] == hashlib.sha256((directory / f["file"]).read_bytes()).hexdigest()


def test_every_page_is_stamped_and_the_toc_matches_the_pages(built):
    directory, report, _ = built
    pdf = Path(report["packages"][0])
    reader = PdfReader(str(pdf))
    total = len(reader.pages)
    assert report["pages"] == total
    texts = page_texts(pdf)
    for number, text in enumerate(texts, 1):
        found = STAMP.findall(text)
        assert (str(number), str(total)) in found, f"page {number}: {text[-200:]!r}"
    manifest = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    toc = "".join(texts[:3])
    assert "材料目录" in toc
    marks = outline(reader)
    for item in manifest["items"]:
        ranges = [f["pages"] for f in item["files"] if "pages" in f]
        if not ranges:
            continue
        first, last = ranges[0][0], ranges[-1][1]
        printed = str(first) if first == last else f"{first}–{last}"
        assert re.search(rf"{item['no']}\s.*?{printed}", toc.replace("\n", " ")), (item["title"], printed)
        # the section's bookmark opens on its first page, and the 目录's number is that page
        section_marks = [m for m in marks if m[0] == 0 and m[1].startswith(f"{item['no']} ")]
        assert section_marks and section_marks[0][2] == first
    # the generated forms are at items 2 and 3, and their text is in the package
    item3 = manifest["items"][2]
    assert item3["files"][0]["kind"] == "form"
    assert NAME in texts[item3["files"][0]["pages"][0] - 1]


def test_bookmarks_keep_chinese_titles_and_evidence_is_untouched(built):
    directory, report, before = built
    reader = PdfReader(report["packages"][0])
    titles = [m[1] for m in outline(reader)]
    assert titles[0] == "封面及材料目录"
    assert "1 申报单位的营业执照或法人登记证书复印件" in titles
    assert any(t.endswith(".pdf") for t in titles)  # one bookmark per file under its item
    assert tree_digest(directory / "evidence") == before


def _pdf_bytes(text_pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The example with a missing item, unreadable files, images, odd names and a signed scan."""
    root = tmp_path_factory.mktemp("messy")
    directory = root / SCHEME
    shutil.copytree(EXAMPLES / SCHEME, directory)
    ev = directory / "evidence"
    for f in (ev / "13 可持续发展或ESG报告").iterdir():
        if f.suffix == ".pdf":
            f.unlink()  # item 13 now missing
    other = ev / "14 其他佐证材料"
    (other / "损坏的文件.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> garbage")
    (other / "空文件.pdf").write_bytes(b"")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner")
    with (other / "加密的文件.pdf").open("wb") as handle:
        writer.write(handle)
    # a photo taken sideways: 400×300 stored, EXIF says rotate 90° → upright 300×400
    photo = Image.new("RGB", (400, 300), "white")
    exif = photo.getexif()
    exif[0x0112] = 6
    photo.save(other / "现场照片　全角 空格.jpg", exif=exif, dpi=(100, 100))
    frames = [Image.new("L", (800, 1100), 255), Image.new("L", (800, 1100), 200)]
    frames[0].save(other / "两页扫描.tif", save_all=True, append_images=frames[1:], dpi=(100, 100))
    (ev / "signed").mkdir()
    (ev / "signed" / "jiangsu-intake-form.pdf").write_bytes(_pdf_bytes(1))
    from click.testing import CliRunner

    refused = CliRunner().invoke(main, ["build", str(directory)])
    result = CliRunner().invoke(main, ["build", str(directory), "--allow-incomplete", "--json"])
    return directory, refused, result


def test_missing_evidence_refuses_without_allow_incomplete(messy):
    directory, refused, _ = messy
    assert refused.exit_code == 1
    assert "13. 可持续发展报告或环境、社会和公司治理报告：缺失" in refused.output
    assert "--allow-incomplete" in refused.output


def test_allow_incomplete_marks_missing_and_leaves_out_unreadable_files(messy):
    directory, _, result = messy
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["complete"] is False
    # 13 has no file; 14 has unreadable ones beside its good ones (不完整 in the checklist)
    assert [(m["no"], m["status"]) for m in report["missing"]] == [(13, "缺失"), (14, "不完整")]
    left = {Path(f["file"]).name: f["problem"] for f in report["left_out"]}
    assert set(left) == {"损坏的文件.pdf", "空文件.pdf", "加密的文件.pdf"}
    assert "加密" in left["加密的文件.pdf"] and "0 字节" in left["空文件.pdf"]
    pdf = Path(report["packages"][0])
    toc = " ".join(page_texts(pdf)[:3]).replace("\n", " ")
    assert re.search(r"13\s+可持续发展报告.*?缺失", toc)
    manifest = json.loads((pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    item14 = {Path(f["file"]).name: f for f in manifest["items"][13]["files"]}
    assert item14["两页扫描.tif"]["pages"][1] - item14["两页扫描.tif"]["pages"][0] == 1  # both TIFF pages
    photo_page = PdfReader(str(pdf)).pages[item14["现场照片　全角 空格.jpg"]["pages"][0] - 1]
    assert float(photo_page.mediabox.height) > float(photo_page.mediabox.width)  # turned upright


def test_signed_scan_replaces_the_generated_form(messy):
    _, _, result = messy
    report = json.loads(result.output)
    manifest = json.loads(Path(report["manifest"]).read_text(encoding="utf-8"))
    item2 = manifest["items"][1]
    assert [f["kind"] for f in item2["files"]] == ["signed"]
    assert item2["files"][0]["file"] == "evidence/signed/jiangsu-intake-form.pdf"
    assert item2["files"][0]["pages"][0] == item2["files"][0]["pages"][1]  # the 1-page scan, not the form


def test_a_failed_build_leaves_the_previous_package_intact(built, tmp_path, runner):
    directory, report, _ = built
    out = Path(report["out_dir"])
    before = tree_digest(out)
    broken = tmp_path / "tpl"
    broken.mkdir()
    shutil.copy(Path(__file__).parent.parent / "form_templates" / "package-cover.docx", broken / "jiangsu-application.docx")
    result = runner.invoke(main, ["build", str(directory), "--templates", str(broken)])
    assert result.exit_code == 2 and "pkg" in result.output
    assert tree_digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_max_size_splits_into_volumes_each_with_its_own_toc(tmp_path, runner):
    directory = tmp_path / SCHEME
    shutil.copytree(EXAMPLES / SCHEME, directory)
    result = runner.invoke(main, ["build", str(directory), "--max-size", "1MB", "--json"])
    report = json.loads(result.output)
    assert len(report["packages"]) >= 2
    for v, path in enumerate(report["packages"], 1):
        assert Path(path).name == f"{NAME}（第{v}册）.pdf"
        first = page_texts(Path(path))[0]
        assert f"第{v}册，共{len(report['packages'])}册" in first.replace(" ", "")
        assert "材料目录" in "".join(page_texts(Path(path))[:3])


@pytest.mark.parametrize(("text", "size"), [("20MB", 20 * 1024**2), ("500kb", 500 * 1024), ("1.5G", int(1.5 * 1024**3)),
                                            ("300000", 300000)])
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_parse_size_rejects_nonsense():
    with pytest.raises(BadInputError, match="--max-size"):
        parse_size("twenty")
