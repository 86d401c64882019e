"""dossier extract: templates, every document type from text PDFs and scans, the
normalisers, bad files, Word forms, and --apply (fills empty fields only).

The corpus is tests/data/extract (see its README); scans are made from its text PDFs
by make_corpus.make_scan in a temporary folder. OCR runs for real (rapidocr), on a
handful of pages.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.cli import main
from dossier.errors import SchemeDataError
from dossier.extract import apply_to_dossier, extract, load_templates
from dossier.extract.normalise import NORMALISERS, Reject, same_value
from dossier.extract.doctypes import TEMPLATE_DIR, compile_template, load_template_file
from dossier.loader import load_dossier
from dossier.yamlio import load_yaml_file

from .conftest import DATA

CORPUS = DATA / "extract"
_spec = importlib.util.spec_from_file_location("extract_make_corpus", CORPUS / "make_corpus.py")
make_corpus = sys.modules["extract_make_corpus"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)
EXPECTED = make_corpus.expected()
TEXT_PDFS = [name for name in EXPECTED if not name.startswith("garbled")]


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def assert_fields(doc, expected: dict, name: str) -> None:
    assert doc.doc_type == expected["doc_type"], f"{name}: {doc.doc_type} {doc.errors}"
    for field, value in expected["fields"].items():
        found = doc.fields.get(field)
        assert found is not None, f"{name}: {field} not found"
        assert same_value(found.value, value), f"{name}: {field} = {found.value!r}, expected {value!r} ({found.text})"
        assert 1 <= found.page <= doc.pages and found.text and 0 < found.confidence <= 1


# --- templates ------------------------------------------------------------------------

TEMPLATE_FILES = sorted(TEMPLATE_DIR.glob("*.yaml"))


def test_there_is_a_template_per_document_type():
    ids = {t.id for t in load_templates()}
    assert ids == {"business_license", "management_certificate", "green_factory", "ghg_verification",
                   "product_carbon_footprint", "energy_audit", "dossier_form", "green_list"}


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.stem)
def test_template_loads(path):
    """Template rot: it parses, its normalisers exist, its targets are dossier.yaml fields."""
    template = load_template_file(path)
    assert template.id == path.stem and template.name
    assert template.fields and template.template.apply
    for field in template.fields:
        assert field.spec.normaliser_name in NORMALISERS
        assert field.regexes


def test_bundled_types_compile_their_patterns_when_used_and_a_users_folder_at_once(tmp_path):
    """Start-up: the ~180 patterns of the bundled types compile when a document of that type
    needs them (issue 20); a folder of one's own is checked whole as it is read, so that a
    broken pattern is named before any document is read."""
    import yaml

    bundled = load_templates.__wrapped__()  # read afresh: not the process's cached types
    assert all(f._regexes is None for t in bundled for f in t.fields)
    licence = next(t for t in bundled if t.id == "business_license")
    assert licence.fields[0].regexes  # compiled on first use
    mine = tmp_path / "types"
    mine.mkdir()
    data = _template(fields={"n": {"label": "x", "patterns": ["(\\d+)"]}})
    (mine / "broken.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeDataError, match="缺少命名分组"):
        load_templates.__wrapped__(mine)


def _template(**changes):
    data = {
        "id": "broken", "name": "测试", "recognise": {"any": ["证书"]},
        "fields": {"number": {"label": "编号", "patterns": ["<<编号>>{SEP}(?P<value>{CERTNO})"], "normaliser": "code"}},
        "apply": [{"target": "subject.name", "value": "{number}"}],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("change, message", [
    ({"fields": {"n": {"label": "x", "patterns": ["(?P<value>\\d+)"], "normaliser": "dat"}}}, "未知的规范化方法 'dat'（是否应为 date？）"),
    ({"fields": {"n": {"label": "x", "patterns": ["{DATES}(?P<value>x)"]}}}, "未知的宏 {DATES}（是否应为 {DATE}？）"),
    ({"fields": {"n": {"label": "x", "patterns": ["(\\d+)"]}}}, "缺少命名分组 (?P<value>…)"),
    ({"fields": {"n": {"label": "x", "patterns": ["(?P<value>[)"]}}}, "正则表达式错误"),
    ({"apply": [{"target": "subject.credit_cod", "value": "{number}"}]}, "subject.credit_cod（是否应为 credit_code？）"),
    ({"apply": [{"target": "subject.name", "value": "{nummer}"}]}, "引用了未定义的字段 {nummer}"),
    ({"recognise": {"any": ["证书"], "typo": 1}}, "recognise.typo"),
])
def test_a_broken_template_names_file_key_and_fix(change, message):
    with pytest.raises(SchemeDataError) as err:
        compile_template(_template(**change), Path("broken.yaml"))
    assert "broken.yaml" in str(err.value) and message in str(err.value)


# --- text PDFs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_docs():
    return {doc.file.name: doc for doc in extract([CORPUS / name for name in TEXT_PDFS])}


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_text_pdf(text_docs, name):
    doc = text_docs[name]
    assert not doc.ocr and not doc.errors
    assert_fields(doc, EXPECTED[name], name)
    # a text layer is read exactly; a certification body not in the list of known
    # bodies (certification_bodies.txt) is less certain
    assert all(f.confidence == 1.0 for name, f in doc.fields.items() if name != "body")
    assert all(0.9 <= f.confidence <= 1.0 for name, f in doc.fields.items() if name == "body")


def test_provenance_names_the_page_and_the_line(text_docs):
    doc = text_docs["ghg_report_changzhou_2024.pdf"]
    scope1 = doc.fields["scope1"]
    assert scope1.page == 2  # the conclusion, after the cover
    assert "2,016.7" in scope1.text
    license_ = text_docs["license_changzhou.pdf"]
    # the address wraps in its cell: both lines are the source
    assert "凤林南路188号" in license_.fields["address"].text
    assert license_.fields["registered_capital"].text.endswith("壹亿捌仟万元整")


def test_a_list_of_years_gives_one_value_per_year(text_docs):
    doc = text_docs["ghg_statement_suzhou.pdf"]
    assert doc.fields["scope2"].value == {"2023": 9872.3, "2024": 9415.8}


def test_garbled_text_layer_falls_back_to_ocr():
    """(cid:…) codes from a font without ToUnicode: neither pdfminer nor pdfium can
    map them here, so the page is OCRed."""
    [doc] = extract([CORPUS / "garbled_license_suzhou.pdf"])
    assert doc.ocr
    assert_fields(doc, EXPECTED["garbled_license_suzhou.pdf"], "garbled")


@pytest.mark.parametrize("name", ["cert_energy_changzhou.pdf", "license_changzhou.pdf", "ghg_statement_suzhou.pdf"])
def test_pdfium_reads_the_text_layer_and_tables_as_pdfplumber_does(name):
    """PDFium is the one reader; pdfplumber (pdfminer), an independent parser, is the
    yardstick: the same characters on each line, and the same ruled table cells."""
    import pdfplumber

    from dossier.extract.pdfpage import char_lines, page_lines
    from dossier.pdftext import open_pdf

    doc = open_pdf(CORPUS / name)
    page = doc[0]
    lines = page_lines(page)
    page.close()
    doc.close()
    with pdfplumber.open(str(CORPUS / name)) as plumber:
        first = plumber.pages[0]
        chars = [c for c in first.chars if c["text"].strip()]
        tables = first.find_tables()
        theirs = char_lines(chars, [])
        cells = sorted(tuple(round(v) for v in cell) for table in tables for cell in table.cells)
    squash = lambda text: "".join(text.split()).replace("|", "")  # noqa: E731
    ours = "".join(squash(line.text) for line in lines)
    assert sorted(ours) == sorted("".join(squash(line.text) for line in theirs)) and len(ours) > 50
    ours_cells = sorted((round(s.x0), round(s.top), round(s.x1), round(s.bottom))
                        for line in lines if line.table_row for s in line.segments if s.x1 > s.x0)
    table_rows = [line for line in lines if line.table_row]
    assert bool(table_rows) == bool(tables)
    if tables:  # every cell pdfplumber finds that holds text is one of ours
        assert set(ours_cells) <= set(cells) and len(ours_cells) >= len(table_rows)


# --- scans (OCR) ------------------------------------------------------------------------

# A handful of pages: one per layout family, one photographed as JPEG.
SCANS = [
    ("license_changzhou.pdf", ".pdf"),          # landscape, two columns, seal over the issuer
    ("license_suzhou.pdf", ".jpg"),             # a photo (image file), not a PDF
    ("cert_environment_changzhou.pdf", ".pdf"), # ruled table, seal over 认证机构
    ("green_factory_jiangsu_2023.pdf", ".pdf"), # notice, date in Chinese numerals under the seal
    ("ghg_statement_suzhou.pdf", ".pdf"),       # table of years × categories
    ("pcf_report_suzhou.pdf", ".pdf"),          # gCO2e converted to kg
]


@pytest.fixture(scope="module")
def scan_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("scans")
    paths = []
    for seed, (name, suffix) in enumerate(SCANS):
        info = EXPECTED[name]
        paths.append(make_corpus.make_scan(CORPUS / name, out / (Path(name).stem + suffix), dpi=200, seed=seed,
                                           stamp_text=info["stamp"], pages=1))
    return {Path(doc.file).stem + ".pdf": doc for doc in extract(paths)}


@pytest.mark.parametrize("name", [name for name, _ in SCANS])
def test_scan(scan_docs, name):
    doc = scan_docs[name]
    assert doc.ocr
    expected = dict(EXPECTED[name])
    assert_fields(doc, expected, name + " (scan)")
    assert all(f.confidence < 1.0 for f in doc.fields.values())  # OCR scores, not 1.0


# --- normalisers ------------------------------------------------------------------------


@pytest.mark.parametrize("raw, value", [
    ("2024年5月10日", "2024-05-10"), ("2024.05.10", "2024-05-10"), ("2024-05-10", "2024-05-10"),
    ("2024/5/10", "2024-05-10"), ("2024 年 05 月 10 日", "2024-05-10"),
    ("二〇二四年五月十日", "2024-05-10"), ("二○二三年十二月十五日", "2023-12-15"), ("二〇二四年十月三十一日", "2024-10-31"),
])
def test_date(raw, value):
    assert NORMALISERS["date"](raw, {}) == (value, 1.0)


@pytest.mark.parametrize("raw", ["2024年2月30日", "证书编号", "二〇二四年"])
def test_date_rejects(raw):
    with pytest.raises(Reject):
        NORMALISERS["date"](raw, {})


@pytest.mark.parametrize("name, raw, value", [
    ("number", "12,345.6", 12345.6), ("number", "1.2万", 12000), ("number", "12.345.6", 12345.6),
    ("emissions", "16,799.2 tCO2e", 16799.2), ("emissions", "2016.7tCO2", 2016.7),
    ("emissions", "11,156.9 吨二氧化碳当量", 11156.9), ("emissions", "1.68万吨二氧化碳当量", 16800),
    ("emissions", "3 500 kgCO2e", 3.5), ("footprint", "46.8 kgCO2e/件", 46.8), ("footprint", "812 gCO2e", 0.812),
    ("footprint", "0.05 tCO2e", 50), ("energy_tce", "0.3528万吨标准煤", 3528), ("energy_tce", "6,029.8 tce", 6029.8),
    ("energy_tce", "1,200 kgce", 1.2), ("year", "二〇二三年", 2023), ("year", "2024年度", 2024),
    ("measure", "51.6 | kgce/件", "51.6 kgce/件"),
])
def test_numbers_and_units(name, raw, value):
    assert NORMALISERS[name](raw, {})[0] == value


@pytest.mark.parametrize("raw, value", [
    ("壹亿捌仟万元整", "18000万元人民币"), ("2500万美元", "2500万美元"), ("5,000 万元人民币", "5000万元人民币"),
    ("人民币伍佰万元整", "500万元人民币"), ("1.8亿元", "18000万元人民币"),
])
def test_registered_capital(raw, value):
    assert NORMALISERS["capital"](raw, {})[0] == value


def test_credit_code():
    code = NORMALISERS["credit_code"]
    assert code("91320412MA1XW7R58C", {}) == ("91320412MA1XW7R58C", 1.0)
    # OCR: O for 0 and a space inside; a credit code never contains O
    # (a repair: less confident than a code read as printed)
    value, confidence = code("9132O412MA1X W7R58C", {})
    assert value == "91320412MA1XW7R58C" and 0.5 < confidence < 1.0
    with pytest.raises(Reject):  # check digit fails and no single repair validates: never output as valid
        code("91320412MA1XW7R58D", {})
    with pytest.raises(Reject):
        code("9132041", {})


@pytest.mark.parametrize("name, raw, value", [
    ("standard", "GB/T19001-2016 / IS0 9001:2015", "GB/T 19001-2016/ISO 9001:2015"),
    ("standard", "ISO 14067:2018、GB/T 24067-2024", "ISO 14067:2018/GB/T 24067-2024"),
    ("standard", "GB/T28001-2011/0HSAS18001:2007", "GB/T 28001-2011/OHSAS 18001:2007"),
    ("doc_number", "苏工信节能[2023] 598 号", "苏工信节能〔2023〕598号"),
    ("person", "周振衡 0519-86512368", "周振衡"),
    ("org_name", "苏州环博低碳技术服务有限公司(盖章)", "苏州环博低碳技术服务有限公司"),
    ("text", "衡准联合认证(北京)有限公司", "衡准联合认证（北京）有限公司"),
])
def test_text_normalisers(name, raw, value):
    assert NORMALISERS[name](raw, {})[0] == value


def test_same_value_is_lenient_on_form_only():
    assert same_value("衡准联合认证（北京）有限公司", "衡准联合认证(北京)有限公司")
    assert same_value(dt.date(2024, 5, 10), "2024-05-10")
    assert same_value(16799.2, 16799.200000001)
    assert not same_value(16799.2, 16799.3)
    assert not same_value("周振衡", "周振华")


# --- bad files ------------------------------------------------------------------------


@pytest.fixture
def bad_files(tmp_path):
    from pypdf import PdfReader, PdfWriter

    files = {}
    files["zero"] = tmp_path / "空文件.pdf"
    files["zero"].write_bytes(b"")
    files["not_pdf"] = tmp_path / "其实是网页.pdf"
    files["not_pdf"].write_text("<html><body>登录超时</body></html>", encoding="utf-8")
    source = (CORPUS / "cert_energy_changzhou.pdf").read_bytes()
    files["truncated"] = tmp_path / "下载中断.pdf"
    files["truncated"].write_bytes(source[: len(source) // 2])
    writer = PdfWriter(clone_from=PdfReader(str(CORPUS / "cert_energy_changzhou.pdf")))
    writer.encrypt(user_password="secret", owner_password="owner")
    files["encrypted"] = tmp_path / "加密.pdf"
    with files["encrypted"].open("wb") as handle:
        writer.write(handle)
    files["image"] = tmp_path / "坏图片.jpg"
    files["image"].write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    files["unsupported"] = tmp_path / "数据.xlsx"
    files["unsupported"].write_bytes(b"PK\x03\x04")
    files["doc"] = tmp_path / "旧格式.docx"
    files["doc"].write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    return files


@pytest.mark.parametrize("kind, message", [
    ("zero", "文件为空"), ("not_pdf", "不是 PDF 文件"), ("truncated", "已损坏或不完整"),
    ("encrypted", "已加密"), ("image", "图片文件已损坏"), ("unsupported", "不支持的文件类型 .xlsx"),
    ("doc", "Word 文件已损坏"),
])
def test_bad_file_is_reported_not_raised(bad_files, kind, message):
    [doc] = extract([bad_files[kind]])
    assert not doc.readable and doc.doc_type is None and not doc.fields
    assert any(message in e for e in doc.errors), doc.errors


def test_bad_files_in_a_folder_do_not_stop_the_run(runner, bad_files, tmp_path):
    shutil.copy(CORPUS / "license_suzhou.pdf", tmp_path / "营业执照.pdf")
    result = run(runner, "extract", tmp_path, "--json")
    assert result.exit_code == 2  # some files could not be read
    rows = json.loads(result.stdout)
    by_name = {Path(r["file"]).name: r for r in rows}
    assert by_name["营业执照.pdf"]["doc_type"] == "business_license" and not by_name["营业执照.pdf"]["errors"]
    assert by_name["加密.pdf"]["errors"] and by_name["加密.pdf"]["doc_type"] is None
    assert by_name["空文件.pdf"]["pages"] == 0


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(CORPUS / "cert_energy_changzhou.pdf")))
    writer.encrypt(user_password="", owner_password="owner")  # "禁止编辑" only
    path = tmp_path / "限制编辑.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    [doc] = extract([path])
    assert doc.readable and doc.fields["number"].value == "ZH-EnMS-2024-0925"


def test_hundreds_of_pages_are_capped_not_hung(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(str(CORPUS / "cert_quality_suzhou.pdf")))
    for _ in range(259):
        writer.add_blank_page(595, 842)
    path = tmp_path / "年度报告（260页）.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    [doc] = extract([path])
    assert doc.pages == 260 and doc.doc_type == "management_certificate"
    assert doc.fields["number"].value == "00124Q31562R1M"
    assert any("只读取了前 200 页（共 260 页）" in e for e in doc.errors)


def test_many_scanned_pages_are_capped(tmp_path, monkeypatch):
    from PIL import Image

    from dossier.extract import reading

    monkeypatch.setattr(reading, "MAX_OCR_PAGES", 1)
    pages = [Image.new("RGB", (400, 560), "white") for _ in range(3)]
    path = tmp_path / "三页空白扫描.pdf"
    pages[0].save(path, "PDF", resolution=50, save_all=True, append_images=pages[1:])
    [doc] = extract([path])
    assert doc.readable and doc.pages == 3
    assert any("只识别了前 1 页扫描页（共 3 页）" in e for e in doc.errors)


def test_missing_ocr_engine_exits_3_with_the_install_command(tmp_path):
    """rapidocr not importable and no tesseract on PATH: the scan is reported, exit 3."""
    scan = make_corpus.make_scan(CORPUS / "pcf_report_suzhou.pdf", tmp_path / "scan.pdf", dpi=100)
    code = ("import sys; sys.modules['rapidocr_onnxruntime'] = None; "
            "from dossier.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", code, "extract", str(scan), str(CORPUS / "license_suzhou.pdf")],
                            capture_output=True, text=True, env={"PATH": "/nonexistent", "PYTHONPATH": str(Path.cwd())},
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 3, result.stderr
    assert "pip install rapidocr-onnxruntime" in result.stdout
    assert "苏州禾川精密电子有限公司" in result.stdout  # the text PDF was still read



def test_openvino_runs_the_models_and_reads_what_onnxruntime_reads(tmp_path):
    """OpenVINO (a dependency) is the default runtime of rapidocr's models; it reads
    every line of a scan exactly as onnxruntime does."""
    from PIL import Image

    from dossier.extract.ocr import RapidOcr

    scan = make_corpus.make_scan(CORPUS / "license_suzhou.pdf", tmp_path / "scan.jpg", dpi=200, seed=3,
                                 stamp_text=EXPECTED["license_suzhou.pdf"]["stamp"], pages=1)
    default, onnx = RapidOcr(), RapidOcr("onnxruntime")
    assert (default.backend, onnx.backend) == ("openvino", "onnxruntime")
    with Image.open(scan) as image:
        lines = [[(s.text, round(s.x0), round(s.top)) for s in engine.recognise(image)] for engine in (default, onnx)]
    assert len(lines[0]) > 15 and lines[0] == lines[1]
    assert any("苏州禾川精密电子有限公司" in text for text, _, _ in lines[0])


def test_compiled_models_are_cached_whole_and_a_damaged_one_is_replaced(tmp_path, monkeypatch):
    """The first start writes one compiled model per network into the cache (no partial
    file left); the next start reads them and reads a page as the first did; a damaged
    cache file is compiled anew and replaced; a cache that cannot be written is no error."""
    from PIL import Image

    from dossier.extract.ocr import RapidOcr, openvino_cache_dir

    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path / "cache"))
    scan = make_corpus.make_scan(CORPUS / "cert_environment_changzhou.pdf", tmp_path / "scan.png", dpi=200, seed=5,
                                 stamp_text=EXPECTED["cert_environment_changzhou.pdf"]["stamp"], pages=1)
    with Image.open(scan) as image:
        first = [s.text for s in RapidOcr().recognise(image)]
        blobs = sorted(openvino_cache_dir().iterdir())
        assert [b.name.split("-")[0] for b in blobs] == ["ch_PP", "ch_PP", "ch_ppocr_mobile_v2.0_cls_infer"]
        assert all(b.suffix == ".blob" and b.stat().st_size > 100_000 for b in blobs)
        rec = next(b for b in blobs if "_rec_" in b.name)
        written = {b: b.stat().st_mtime_ns for b in blobs if b != rec}
        rec.write_bytes(rec.read_bytes()[:5000])  # a file cut short (disk full, killed)
        again = RapidOcr()
        assert again.backend == "openvino"
        assert sorted(openvino_cache_dir().iterdir()) == blobs  # no partial file left
        assert rec.stat().st_size > 100_000  # rewritten whole
        assert {b: b.stat().st_mtime_ns for b in written} == written  # the sound ones were only read
        assert [s.text for s in again.recognise(image)] == first and len(first) > 10
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path / "file"))  # not a folder: no cache
    assert RapidOcr().backend == "openvino"


def test_without_openvino_onnxruntime_reads_the_scan(tmp_path):
    """openvino not importable: the scan is read by onnxruntime, same fields, exit 0;
    asking for openvino by DOSSIER_OCR_BACKEND then is exit 3 with the install command."""
    scan = make_corpus.make_scan(CORPUS / "license_suzhou.pdf", tmp_path / "营业执照.jpg", dpi=200, seed=3,
                                 stamp_text=EXPECTED["license_suzhou.pdf"]["stamp"], pages=1)
    code = ("import sys; sys.modules['openvino'] = None; "
            "from dossier.cli import main; main()")
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/nonexistent", "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-c", code, "extract", str(scan), "--json"],
                            capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    [doc] = json.loads(result.stdout)
    assert doc["ocr"] and doc["fields"]["name"]["value"] == "苏州禾川精密电子有限公司"
    assert doc["fields"]["credit_code"]["value"] == EXPECTED["license_suzhou.pdf"]["fields"]["credit_code"]
    forced = subprocess.run([sys.executable, "-c", code, "extract", str(scan)], capture_output=True, text=True,
                            env={**env, "DOSSIER_OCR_BACKEND": "openvino"}, cwd=root)
    assert forced.returncode == 3, forced.stderr
    assert "openvino 不可用" in forced.stdout + forced.stderr and "pip install openvino" in forced.stdout + forced.stderr


# --- Word forms (this tool's earlier output) ------------------------------------------


def _form_docx(path: Path) -> Path:
    """A filled 动态管理表-like form: label → value cells, then years as columns."""
    from docx import Document

    doc = Document()
    doc.add_heading("绿色低碳工厂动态管理表", level=1)
    doc.add_paragraph("一、基本信息")
    table = doc.add_table(rows=4, cols=4)
    rows = [["工厂名称", "常州澜衡汽车零部件有限公司", "入选年份", "2023"],
            ["统一社会信用代码", "91320412MA1XW7R58C", "成立时间", "2016-04-18"],
            ["工厂地址", "江苏省常州市武进国家高新技术产业开发区凤林南路188号", "", ""],
            ["企业法人代表及联系电话", "周振衡 0519-86512368", "注册资本", "18000万元人民币"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 1).merge(table.cell(2, 3))  # the address spans three cells
    doc.add_paragraph("二、主要指标")
    years = doc.add_table(rows=5, cols=4)
    data = [["项目", "2023年", "2024年", "2025年"],
            ["产值（万元）", "66,500", "70,200", "74,800"],
            ["能源消费总量（tce）", "6,144.2", "6,029.8", "5,911.0"],
            ["类别1排放（tCO2e）", "2,215.8", "2,016.7", "1,850.3"],
            ["碳效评价等级*", "低碳", "低碳", "低碳"]]
    for r, row in enumerate(data):
        for c, text in enumerate(row):
            years.cell(r, c).text = text
    doc.save(str(path))
    return path


def test_a_word_form_is_read_label_cell_to_value_cell(tmp_path):
    [doc] = extract([_form_docx(tmp_path / "动态管理表2025.docx")])
    assert doc.doc_type == "dossier_form" and not doc.ocr and doc.pages == 1
    values = {name: found.value for name, found in doc.fields.items()}
    assert values["name"] == "常州澜衡汽车零部件有限公司"
    assert values["credit_code"] == "91320412MA1XW7R58C"
    assert values["address"] == "江苏省常州市武进国家高新技术产业开发区凤林南路188号"
    assert values["legal_representative"] == "周振衡"
    assert values["founded"] == "2016-04-18"
    assert values["output_value"] == {"2023": 66500, "2024": 70200, "2025": 74800}
    assert values["energy_total_tce"] == {"2023": 6144.2, "2024": 6029.8, "2025": 5911}
    assert values["scope1"] == {"2023": 2215.8, "2024": 2016.7, "2025": 1850.3}
    assert values["carbon_efficiency_grade"]["2024"] == "低碳"
    assert doc.fields["credit_code"].text == "统一社会信用代码 | 91320412MA1XW7R58C | 成立时间 | 2016-04-18"


def test_this_tools_own_rendered_form_round_trips(runner, example_copy, tmp_path):
    """Last years' figures come back from the form dossier render wrote (附件6-1), from
    the .docx and from its PDF, each year in its own column: the 最近一年能源消耗情况
    row's one value, merged across the three year columns, is 2025's (it was read as
    2023's when the rows were matched to the year header by cell position)."""
    directory = example_copy("zhejiang-green-low-carbon-factory")
    result = run(runner, "render", directory, "--form", "zhejiang-factory-self-eval", "--pdf", "--out", tmp_path, "--quiet")
    assert result.exit_code == 0, result.output
    rendered = sorted(tmp_path.glob("宁波澜屿家居塑业有限公司 附件6-1 *"))  # named with the enterprise's full name
    assert [p.suffix for p in rendered] == [".docx", ".pdf"]
    for path in rendered:
        [doc] = extract([path])
        assert doc.doc_type == "dossier_form", path.name
        values = {name: found.value for name, found in doc.fields.items()}
        assert values["name"] == "宁波澜屿家居塑业有限公司"
        assert values["credit_code"] == "913302825731862472"
        assert values["legal_representative"] == "陈立峰"  # not the evaluator's
        assert values["founded"] == "2011-06-15"
        # printed 2.98 / 3.19 / 3.36 亿元; dossier.yaml holds 29800 / 31900 / 33600 万元
        assert values["output_value"] == {"2023": 29800, "2024": 31900, "2025": 33600}, path.name
        # 年综合能耗 2140.15 is printed once, for the latest year (dossier.yaml: 2023 2075.58, 2025 2140.15)
        assert values["energy_total_tce"] == {"2025": 2140.15}, path.name
        assert values["mu_performance_grade"] == {"2024": "A", "2025": "A"}, path.name
        report = apply_to_dossier([doc], directory)
        assert not report.conflicts and not report.of("filled"), path.name
        # 6 subject fields + 3 output values + 1 energy total + 2 亩均绩效 grades
        assert len(report.of("same")) == 12, [c.path for c in report.of("same")]


def test_a_word_table_with_merged_cells_keeps_each_value_under_its_year(tmp_path):
    """A header whose label spans two grid columns, and a value merged across the year
    columns: the years are matched by the columns a cell spans, not by its index."""
    from docx import Document

    path = tmp_path / "动态管理表.docx"
    doc = Document()
    doc.add_paragraph("工厂动态管理表")
    info = doc.add_table(rows=1, cols=2)
    info.cell(0, 0).text, info.cell(0, 1).text = "企业名称", "常州澜衡汽车零部件有限公司"
    table = doc.add_table(rows=4, cols=5)
    rows = [["经营情况", "", "2023年", "2024年", "2025年"],
            ["经营情况", "工业总产值(万元)", "66500", "70200", "74800"],
            ["能耗", "综合能耗(tce)", "6144.2", "", "5911"],
            ["能耗", "类别1排放(tCO2e)", "1850.3", "", ""]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1)).text = "经营情况"  # one header cell over two columns
    table.cell(3, 2).merge(table.cell(3, 4)).text = "1850.3"  # one value over the three years
    doc.save(str(path))
    [found] = extract([path])
    values = {name: f.value for name, f in found.fields.items()}
    assert values["output_value"] == {"2023": 66500, "2024": 70200, "2025": 74800}
    assert values["energy_total_tce"] == {"2023": 6144.2, "2025": 5911}
    assert "scope1" not in values  # under no single year: not guessed


# --- --apply --------------------------------------------------------------------------

JIANGSU = "jiangsu-zero-carbon-factory"


def _blank(path: Path, replacements: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def jiangsu(example_copy):
    """The Jiangsu example with some fields emptied and the legal representative
    misspelt by the user (周振华; the licence says 周振衡)."""
    directory = example_copy(JIANGSU)
    _blank(directory / "dossier.yaml", [
        ('credit_code: "91320412MA1XW7R58C"', "credit_code:"),
        ("founded: 2016-04-18", "founded:"),
        ('    name: "周振衡"  # 姓名', '    name: "周振华"  # 姓名'),
        ("      valid_until: 2027-06-11\n", "      valid_until:\n"),        # the EMS certificate
        ("      scope1: 2016.7", "      scope1:"),                          # 2024
        ("    energy_total_equivalent_tce: 12026.4", "    energy_total_equivalent_tce:"),  # 2024
    ])
    return directory


APPLY_DOCS = ["license_changzhou.pdf", "cert_environment_changzhou.pdf", "ghg_report_changzhou_2024.pdf",
              "energy_audit_changzhou_2024.pdf", "green_factory_jiangsu_2023.pdf", "pcf_certificate_changzhou.pdf",
              "license_suzhou.pdf", "green_factory_miit_2022.pdf"]


def test_apply_fills_empty_fields_reports_conflicts_keeps_a_backup(runner, jiangsu):
    before = (jiangsu / "dossier.yaml").read_text(encoding="utf-8")
    result = run(runner, "extract", *[CORPUS / n for n in APPLY_DOCS], "--apply", jiangsu)
    assert result.exit_code == 1, result.output  # a conflict is left for the user
    out = result.output
    assert "冲突 1 项" in out
    assert "subject.legal_representative.name：档案中为 周振华（dossier.yaml 第 22 行），文件中为 周振衡（license_changzhou.pdf 第 1 页" in out
    assert "未应用文件" in out and "苏州禾川精密电子有限公司" in out  # another enterprise's licence
    assert "名单中没有本企业" in out                                   # the national list names others

    loaded = load_dossier(jiangsu)  # still valid
    d = loaded.dossier
    assert d.subject.credit_code == "91320412MA1XW7R58C"
    assert d.subject.founded == dt.date(2016, 4, 18)
    assert d.subject.legal_representative.name == "周振华"  # the user's value is never overwritten
    ems = next(c for c in d.subject.certifications if c.number == "08224E30158R2M")
    assert ems.valid_until == dt.date(2027, 6, 11)
    assert d.years[2024].emissions.scope1 == 2016.7
    assert d.years[2024].energy_total_equivalent_tce == 12026.4

    backups = list(jiangsu.glob("dossier.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == before
    after = (jiangsu / "dossier.yaml").read_text(encoding="utf-8")
    # comments and order survive; the filled value says where it came from
    assert after.splitlines()[0] == before.splitlines()[0]
    assert after.count("\n") == before.count("\n")
    line = next(l for l in after.splitlines() if l.strip().startswith("credit_code:"))
    assert "统一社会信用代码（18 位）" in line and "来源：license_changzhou.pdf 第 1 页" in line
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 5  # the five emptied fields, nothing else
    assert all("来源：" in b for _, b in changed)
    assert "valid_until: 2027-06-11  # 来源：cert_environment_changzhou.pdf 第 1 页" in after


def test_apply_never_overwrites_a_users_value(example_copy):
    """On the complete example every extracted value is either the same or a conflict:
    the file is not written at all."""
    directory = example_copy(JIANGSU)
    before = (directory / "dossier.yaml").read_bytes()
    _blank(directory / "dossier.yaml", [("      scope2: 14782.5", "      scope2: 14800")])  # the user's own figure
    before = (directory / "dossier.yaml").read_bytes()
    docs = extract([CORPUS / n for n in APPLY_DOCS])
    report = apply_to_dossier(docs, directory)
    assert not report.of("filled") and not report.written
    assert (directory / "dossier.yaml").read_bytes() == before
    assert not list(directory.glob("dossier.yaml.bak-*"))
    [conflict] = report.conflicts
    assert conflict.path == "years.2024.emissions.scope2" and conflict.current == 14800 and conflict.value == 14782.5
    assert conflict.source == "ghg_report_changzhou_2024.pdf 第 2 页"
    assert len(report.of("same")) >= 20


def test_apply_to_a_new_dossier(runner, tmp_path):
    """dossier init, then everything comes from the documents (and a Word form)."""
    directory = tmp_path / "澜衡"
    assert run(runner, "init", directory, "--scheme", JIANGSU).exit_code == 0
    form = _form_docx(tmp_path / "2025年动态管理表.docx")
    evidence = directory / "evidence" / "04 绿色工厂发文"
    evidence.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / "green_factory_jiangsu_2023.pdf", evidence / "绿色工厂名单.pdf")
    shutil.copy(CORPUS / "cert_energy_changzhou.pdf", directory / "evidence" / "能源管理体系证书.pdf")
    result = run(runner, "extract", CORPUS / "license_changzhou.pdf", directory / "evidence",
                 CORPUS / "ghg_report_changzhou_2024.pdf", form, "--apply", directory)
    assert result.exit_code == 0, result.output
    d = load_dossier(directory).dossier
    assert d.subject.name == "常州澜衡汽车零部件有限公司" and d.subject.registered_capital == "18000万元人民币"
    assert d.subject.ownership is None  # a licence does not print 单位性质: never inferred
    assert d.subject.green_factory.level == "省级" and d.subject.green_factory.year == 2023
    assert d.subject.green_factory.document.endswith("（苏工信节能〔2023〕598号）")
    [cert] = d.subject.certifications
    assert cert.kind == "energy" and cert.number == "ZH-EnMS-2024-0925" and cert.valid_until == dt.date(2027, 1, 28)
    assert cert.file == "evidence/能源管理体系证书.pdf"
    assert d.years[2024].emissions.scope1 == 2016.7 and d.years[2024].emissions.verified is True
    assert d.years[2024].emissions.verifier == "江苏澄碳核查技术服务有限公司"
    assert d.years[2023].output_value == 66500 and d.years[2025].energy_total_tce == 5911
    assert d.years[2024].carbon_efficiency_grade == "低碳"
    # a second run finds nothing left to fill: no new backup
    backups = list(directory.glob("dossier.yaml.bak-*"))
    again = run(runner, "extract", CORPUS / "license_changzhou.pdf", "--apply", directory, "--quiet")
    assert again.exit_code == 0 and "未修改" in again.output
    assert list(directory.glob("dossier.yaml.bak-*")) == backups


def test_apply_reports_a_value_the_model_refuses_and_does_not_write_it(jiangsu):
    [doc] = extract([CORPUS / "license_changzhou.pdf"])
    doc.fields["credit_code"].value = "9132041"  # as if a template let a bad code through
    report = apply_to_dossier([doc], jiangsu)
    [rejected] = report.of("rejected")
    assert rejected.path == "subject.credit_code" and "18 位" in rejected.reason
    d = load_dossier(jiangsu).dossier
    assert d.subject.credit_code is None and d.subject.founded == dt.date(2016, 4, 18)  # the rest was written


def test_apply_skips_years_the_dossier_does_not_have(example_copy):
    directory = example_copy(JIANGSU)
    docs = extract([CORPUS / "ghg_statement_suzhou.pdf"])
    docs[0].fields["enterprise"].value = "常州澜衡汽车零部件有限公司"  # pretend it is ours
    report = apply_to_dossier(docs, directory)
    statuses = {c.path: c.status for c in report.changes}
    assert statuses["years.2023.emissions.scope1"] == "conflict"  # 1284.6 vs the example's 2215.8
    data = load_yaml_file(directory / "dossier.yaml").data
    assert data["years"][2023]["emissions"]["scope1"] == 2215.8


# --- the command ----------------------------------------------------------------------


def test_json_output_has_exactly_the_documented_keys(runner):
    result = run(runner, "extract", CORPUS / "cert_quality_suzhou.pdf", "--json")
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert set(row) == {"file", "doc_type", "pages", "ocr", "fields", "errors"}
    assert row["doc_type"] == "management_certificate" and row["pages"] == 1 and row["ocr"] is False
    for field in row["fields"].values():
        assert set(field) == {"value", "page", "text", "confidence"}
    assert row["fields"]["valid_until"]["value"] == "2027-07-14"
    assert not result.stderr  # no progress when stderr is not a terminal


def test_text_output_is_chinese_and_names_what_was_not_found(runner, tmp_path):
    doc = tmp_path / "说明.pdf"
    shutil.copy(CORPUS / "license_suzhou.pdf", doc)
    result = run(runner, "extract", doc, CORPUS / "energy_benchmark_suzhou_2023.pdf")
    assert result.exit_code == 0
    assert "营业执照（1 页）" in result.output
    assert "统一社会信用代码：91320594MA1P8K3T2W（第 1 页，置信度 100%）" in result.output
    assert "综合能耗（tce，当量值）：2023: 3528（第 1 页" in result.output
    assert "汇总：共 2 个文件；识别 2 个" in result.output


def test_a_missing_path_is_a_usage_error(runner, tmp_path):
    result = run(runner, "extract", tmp_path / "没有这个文件.pdf")
    assert result.exit_code == 2 and "找不到文件或目录" in result.output
