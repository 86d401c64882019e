"""Issue 20's package paths: the cover and 目录 drawn without LibreOffice (their page
numbers right however long the 目录), pages merged by qpdf (rotated pages upright,
stamped at their foot), one warm LibreOffice for many conversions, and many dossiers
built at once with a failure in one not stopping the others."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from dossier.cli import main
from dossier.package.frontmatter import Volume, build_front_matter
from dossier.package.plan import Part, Section

from .conftest import EXAMPLES

STAMP = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")


def _text(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


RANGE = re.compile(r"^(?:\d+(?:–\d+)?|—)$")


def toc_rows(text: str) -> dict[int, str]:
    """序号 → 页码 as the 目录 prints them (pdftotext -layout: the number and the page
    range share a line; a long title wraps above and below)."""
    rows = {}
    for line in text.splitlines():
        tokens = line.split()
        if len(tokens) >= 2 and tokens[0].isdigit():
            pages = [t for t in tokens[1:] if RANGE.match(t)]
            if pages:
                rows[int(tokens[0])] = pages[-1]
    return rows


def _sections(counts: list[int], tmp: Path) -> list[Section]:
    sections = []
    for i, n in enumerate(counts, 1):
        part = Part(title=f"f{i}.pdf", source=tmp / f"f{i}.pdf", rel=f"evidence/f{i}.pdf", kind="evidence",
                    pdf=tmp / f"f{i}.pdf", pages=n)
        sections.append(Section(i, f"第{i}项证明材料，名称较长以便在目录中折行显示，检验页码是否仍然正确", "ok",
                                parts=[part] if n else []))
    return sections


def test_a_long_toc_numbers_every_item_from_the_pages_it_really_takes(tmp_path):
    counts = [(i * 7) % 5 for i in range(1, 61)]  # 60 items, some without pages
    sections = _sections(counts, tmp_path)
    [front] = build_front_matter([Volume(sections, "")], scheme_title="测试方案", subject="甲公司",
                                 credit_code="91320412MA1XW7R58C", date=dt.date(2026, 3, 1), workdir=tmp_path)
    reader = PdfReader(str(front.pdf))
    assert len(reader.pages) == front.front_pages >= 3  # a cover and a 目录 of several pages
    content = sum(counts)
    assert front.total_pages == front.front_pages + content
    # what the 目录 prints, read back from the PDF, against the pages counted here
    rows = toc_rows("\n".join(_text(front.pdf, p) for p in range(2, front.front_pages + 1)))
    page = front.front_pages + 1
    expected = {}
    for no, n in enumerate(counts, 1):
        expected[no] = "—" if n == 0 else (str(page) if n == 1 else f"{page}–{page + n - 1}")
        page += n
    assert rows == expected
    # every front page and every stamp page carries its own number and the total
    for number in range(1, front.front_pages + 1):
        assert STAMP.findall(_text(front.pdf, number)) == [(str(number), str(front.total_pages))]
    stamps = PdfReader(str(front.stamps))
    assert len(stamps.pages) == content
    assert STAMP.findall(_text(front.stamps, 1)) == [(str(front.front_pages + 1), str(front.total_pages))]


def _rotated_pdf(path: Path) -> None:
    """A portrait page shown turned 90° clockwise (/Rotate 90) with a black square in the
    corner that appears at the top left once turned."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.obj["/Contents"] = pdf.make_stream(b"0 0 0 rg 0 0 120 120 re f")
    page.obj["/Rotate"] = 90
    pdf.save(path)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    dirs = []
    for name in ("jiangsu-zero-carbon-factory", "zhengzhou-green-low-carbon-factory"):
        shutil.copytree(EXAMPLES / name, root / name, ignore=shutil.ignore_patterns("output"))
        dirs.append(root / name)
    _rotated_pdf(next((dirs[0] / "evidence").glob("14*")) / "横放的扫描件.pdf")
    broken = root / "broken"
    broken.mkdir()
    (broken / "dossier.yaml").write_text("scheme: jiangsu-zero-carbon-factory\nsubject: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(dirs[0]), str(broken), str(dirs[1]), "--out", str(root / "out"),
                                       "--workers", "2", "--json"])
    return root, dirs, broken, result


def test_many_dossiers_at_once_a_broken_one_does_not_stop_the_others(batch):
    root, dirs, broken, result = batch
    assert result.exit_code == 2, result.output  # the worst of the batch: the broken dossier
    rows = json.loads(result.output)
    assert [Path(r["directory"]) for r in rows] == [dirs[0], broken, dirs[1]]
    bad = rows[1]
    assert not bad["ok"] and bad["exit_code"] == 2 and "第 3 行" in bad["error"]
    for row, d in ((rows[0], dirs[0]), (rows[2], dirs[1])):
        assert row["ok"] and row["exit_code"] in (0, 1)
        [package] = [Path(p) for p in row["packages"]]
        assert package.parent == root / "out" / d.name and package.is_file()
        assert len(PdfReader(str(package)).pages) == row["pages"] > 10


def test_toc_page_numbers_open_on_the_first_page_of_each_item(batch):
    """Read the 目录 as printed, go to each page it names, and find there the first
    page of the item's first file (its text, from the user's own PDF)."""
    root, dirs, _, result = batch
    row = json.loads(result.output)[0]
    package = Path(row["packages"][0])
    manifest = json.loads((package.parent / "manifest.json").read_text(encoding="utf-8"))
    rows = toc_rows(_text(package, 2) + _text(package, 3))
    assert sorted(rows) == [i["no"] for i in manifest["items"]]
    checked = 0
    for item in manifest["items"]:
        first_file = next((f for f in item["files"] if "pages" in f), None)
        if first_file is None:
            continue
        start = int(rows[item["no"]].split("–")[0])
        source = dirs[0] / first_file["file"]
        if source.suffix.lower() != ".pdf":
            continue
        words = [w for w in re.split(r"\s+", _text(source, 1)) if len(w) >= 4][:5]
        if not words:
            continue  # a scan without text
        page_text = re.sub(r"\s+", " ", _text(package, start))
        assert all(w in page_text for w in words), (item["no"], start, words)
        checked += 1
    assert checked >= 5


def test_a_rotated_page_stands_upright_and_is_stamped_at_its_foot(batch, tmp_path):
    root, dirs, _, result = batch
    package = Path(json.loads(result.output)[0]["packages"][0])
    manifest = json.loads((package.parent / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [f for i in manifest["items"] for f in i["files"] if f["file"].endswith("横放的扫描件.pdf")]
    number = entry["pages"][0]
    page = PdfReader(str(package)).pages[number - 1]
    assert "/Rotate" not in page or page["/Rotate"] == 0
    assert float(page.mediabox.width) > float(page.mediabox.height)  # shown landscape, as the viewer showed it
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", "-f", str(number), "-l", str(number), str(package),
                    str(tmp_path / "p")], check=True)
    img = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    w, h = img.size
    corner = img.crop((0, 0, w // 6, h // 4))
    assert corner.getextrema()[0] < 60  # the square is at the top left, as /Rotate showed it
    assert STAMP.findall(_text(package, number)) == [(str(number), str(row_pages(package)))]


def row_pages(package: Path) -> int:
    return len(PdfReader(str(package)).pages)


def test_a_warm_libreoffice_serves_several_conversions_and_stops_after(tmp_path):
    from dossier.render.office import warm_office
    from dossier.render.pdf import convert_to_pdf

    forms = sorted((Path(__file__).resolve().parent.parent / "form_templates").glob("jiangsu-*.docx"))
    assert forms
    with warm_office() as office:
        assert office is not None
        pid = office.proc.pid
        first = convert_to_pdf([(forms[0], tmp_path / "a.pdf")])
        second = convert_to_pdf([(forms[1], tmp_path / "b.pdf")])
        assert office.proc is not None and office.proc.pid == pid  # the same LibreOffice
    assert first[0].ok and second[0].ok
    assert office.proc is None  # stopped with the block
    assert len(PdfReader(str(tmp_path / "b.pdf")).pages) >= 1


def test_render_many_keeps_the_order_and_makes_every_pdf(tmp_path):
    from dossier.render.batch import render_many

    names = ["zhengzhou-green-low-carbon-factory", "jiangsu-zero-carbon-factory", "suzhou-green-factory"]
    dirs = []
    for name in names:
        shutil.copyfile(EXAMPLES / name / "dossier.yaml", (tmp_path / name).mkdir() or tmp_path / name / "dossier.yaml")
        dirs.append(tmp_path / name)
    results = render_many(dirs, out_root=tmp_path / "out", pdf=True, workers=2)
    assert [forms[0].form.id.split("-")[0] for forms in results] == ["zhengzhou", "jiangsu", "suzhou"]
    for d, forms in zip(dirs, results):
        for f in forms:
            assert f.path.parent == tmp_path / "out" / d.name
            assert f.pdf is not None and len(PdfReader(str(f.pdf)).pages) >= 1, f.pdf_error

