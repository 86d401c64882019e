"""`dossier check`: the evidence checklist, as a user before a deadline would check it.

Real files throughout: PDFs with a text layer made here with pypdf (the certificate's
"有效期至", an English verification statement), zero-byte files, a corrupt PDF, a
password-protected PDF, a symbolic-link loop. Dates are fixed with ``--on 2026-12-15``
(the examples' submission date) so the tests do not drift with the calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from dossier.evidence_check import STATUS_LABELS, check_dossier, render_text
from dossier.termtext import display_width
from dossier.cli import main
from dossier.errors import SchemeDataError
from dossier.loader import load_dossier
from dossier.scaffold import init_dossier
from dossier.schemes import load_scheme, parse_scheme
from dossier.yamlio import dump_yaml, load_yaml_file

from .conftest import EXAMPLES, ROOT, SCHEME_IDS

ON = "2026-12-15"
ON_DATE = dt.date(2026, 12, 15)
JIANGSU = "jiangsu-zero-carbon-factory"


# --- helpers ----------------------------------------------------------------------------------


def write_pdf(path: Path, *lines: str) -> Path:
    """A one-page PDF whose text layer holds ``lines`` (Chinese included).

    The font is not embedded (nothing renders it); a ToUnicode map with CID = Unicode
    code point lets pypdf extract the text as it would from a real certificate.
    pypdf has no public call to add a raw object, hence ``_add_object``.
    """
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    chars = sorted({ord(c) for line in lines for c in line})
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for start in range(0, len(chars), 100):
        block = chars[start:start + 100]
        cmap += [f"{len(block)} beginbfchar", *(f"<{c:04X}> <{c:04X}>" for c in block), "endbfchar"]
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    to_unicode = DecodedStreamObject()
    to_unicode.set_data("\n".join(cmap).encode())
    cid_font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/SimSun"), NameObject("/DW"): NumberObject(1000),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
    })
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/SimSun"), NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
        NameObject("/ToUnicode"): writer._add_object(to_unicode),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    ops = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
    ops += ["<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*" for line in lines]
    content = DecodedStreamObject()
    content.set_data("\n".join([*ops, "ET"]).encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def edit_dossier(directory: Path, change) -> None:
    """Change dossier.yaml the way a user would (comments and layout kept)."""
    loaded = load_yaml_file(directory / "dossier.yaml")
    change(loaded.data)
    (directory / "dossier.yaml").write_text(dump_yaml(loaded.data), encoding="utf-8")


def run_check(runner, directory: Path, *extra: str):
    result = runner.invoke(main, ["check", str(directory), "--on", ON, *extra])
    data = json.loads(result.stdout) if "--json" in extra and result.stdout.startswith("{") else None
    return result, data


def by_no(data: dict) -> dict[int, dict]:
    return {item["no"]: item for item in data["items"]}


@pytest.fixture
def tiny(tmp_path):
    """A fresh `dossier init` Jiangsu dossier with no evidence yet."""
    directory = tmp_path / "某某科技"
    init_dossier(directory, JIANGSU, name="某某科技有限公司", reporting_year=2026)
    return directory


def item_folder(directory: Path, scheme_id: str, no: int) -> Path:
    return directory / "evidence" / load_scheme(scheme_id).evidence_list[no - 1].folder


@pytest.fixture
def no_hang():
    """Fail instead of hanging (a symlink loop must not stop the scan)."""
    def _timeout(signum, frame):  # pragma: no cover - only on a hang
        raise TimeoutError("check did not finish within 30 s")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# --- the examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_example_reports_every_item_and_is_complete(runner, scheme_id):
    result, data = run_check(runner, EXAMPLES / scheme_id, "--json")
    scheme = load_scheme(scheme_id)
    assert [(i["no"], i["title"]) for i in data["items"]] == [(e.no, e.title) for e in scheme.evidence_list]
    assert data["complete"] is True, [i for i in data["items"] if i["status"] in ("missing", "expired", "incomplete")]
    assert result.exit_code == 0
    assert data["unmatched_files"] == [] and data["cross_checks"] == []
    forms = {e.no: e.form for e in scheme.evidence_list if e.form}
    for item in data["items"]:
        if item["no"] in forms:
            # generated forms: the example has no signed scan yet, so they wait for one
            assert item["status"] == "to_confirm" and f"evidence/signed/{forms[item['no']]}.pdf" in item["problems"][0]
        elif item["status"] != "not_applicable":
            assert item["files"], item
        assert all((EXAMPLES / scheme_id / f).is_file() for f in item["files"])


def test_a_signed_scan_in_evidence_signed_serves_its_form_item(runner, example_copy):
    directory = example_copy("jiangsu-zero-carbon-factory")
    signed = directory / "evidence" / "signed"
    signed.mkdir()
    source = next((directory / "evidence" / "01 营业执照或法人登记证书复印件").glob("*.pdf"))
    (signed / "jiangsu-application.pdf").write_bytes(source.read_bytes())
    items = by_no(run_check(runner, directory, "--json")[1])
    assert items[3]["files"] == ["evidence/signed/jiangsu-application.pdf"]
    assert items[3]["status"] == "to_confirm"  # a seal is still for a person to confirm
    assert not any("evidence/signed" in p for p in items[3]["problems"])
    assert items[2]["status"] == "to_confirm" and not items[2]["files"]


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_removing_one_items_files_makes_exactly_that_item_missing(runner, example_copy, scheme_id):
    directory = example_copy(scheme_id)
    before = by_no(run_check(runner, directory, "--json")[1])
    scheme = load_scheme(scheme_id)
    target = next(e for e in scheme.evidence_list if e.required and not e.supports_condition)
    shutil.rmtree(directory / "evidence" / target.folder)
    (directory / "evidence" / target.folder).mkdir()
    result, data = run_check(runner, directory, "--json")
    after = by_no(data)
    assert result.exit_code == 1 and data["complete"] is False
    changed = {no for no in after if after[no]["status"] != before[no]["status"]}
    assert changed == {target.no}
    assert after[target.no]["status"] == "missing" and after[target.no]["files"] == []
    assert target.folder in after[target.no]["problems"][0]
    # dossier.yaml still cites the removed files: the cross-checks say so.
    cited = [c for c in data["cross_checks"] if target.folder in c["message"]]
    if f"evidence/{target.folder}/" in (directory / "dossier.yaml").read_text(encoding="utf-8"):
        assert cited
    assert all("引用的文件不存在" in c["message"] for c in cited)


def test_missing_year_of_a_three_year_report_is_incomplete_naming_the_year(runner, example_copy):
    directory = example_copy(JIANGSU)
    folder = item_folder(directory, JIANGSU, 5)
    (folder / "2024年度温室气体排放核查报告.pdf").unlink()
    result, data = run_check(runner, directory, "--json")
    item = by_no(data)[5]
    assert item["status"] == "incomplete" and result.exit_code == 1
    assert any("缺少 2024 年" in p for p in item["problems"]), item["problems"]
    assert not any("2023 年" in p.split("（")[0] for p in item["problems"])


def test_expired_certificate_date_in_the_dossier_is_expired(runner, example_copy):
    directory = example_copy("suzhou-green-factory")

    def expire(data):
        for cert in data["subject"]["certifications"]:
            if cert["kind"] == "quality":
                cert["valid_until"] = "2026-06-30"

    edit_dossier(directory, expire)
    result, data = run_check(runner, directory, "--json")
    item = next(i for i in data["items"] if i["title"].endswith("第三方认证证书"))
    assert item["status"] == "expired" and result.exit_code == 1
    assert any("质量管理体系证书" in p and "2026-06-30" in p and "过期" in p for p in item["problems"])


def test_certificate_expiring_within_90_days_is_a_warning_not_a_failure(runner, example_copy):
    directory = example_copy("suzhou-green-factory")
    soon = (ON_DATE + dt.timedelta(days=30)).isoformat()

    def set_dates(data):
        for cert in data["subject"]["certifications"]:
            cert["valid_until"] = soon if cert["kind"] == "energy" else "2028-12-31"

    edit_dossier(directory, set_dates)
    result, data = run_check(runner, directory, "--json")
    item = next(i for i in data["items"] if i["title"].endswith("第三方认证证书"))
    assert item["status"] == "expiring"
    assert any(soon in p and "30 天" in p for p in item["problems"])
    assert result.exit_code == 0 and data["complete"] is True


# --- rules on tiny dossiers ------------------------------------------------------------------


def test_a_new_dossier_lists_every_required_item_as_missing(runner, tiny):
    result, data = run_check(runner, tiny, "--json")
    assert result.exit_code == 1
    items = by_no(data)
    scheme = load_scheme(JIANGSU)
    for entry in scheme.evidence_list:
        # the forms dossier generates (items 2, 3) wait for their signed scan instead
        expected = "to_confirm" if entry.form else "missing" if entry.required else "not_applicable"
        assert items[entry.no]["status"] == expected, entry.no


def test_required_if_follows_the_self_assessment(runner, tiny):
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[11]["status"] == "not_applicable"
    assert any("智能工厂" in p for p in by_no(data)[11]["problems"])

    def claim(data):
        data["indicators"]["I08"]["status"] = "符合"
        data["offsets"] = [{"type": "绿证", "year": 2025, "quantity_tco2e": 100}]

    edit_dossier(tiny, claim)
    _, data = run_check(runner, tiny, "--json")
    items = by_no(data)
    assert items[11]["status"] == "missing" and "I08 自评为符合" in items[11]["problems"][0]
    assert items[9]["status"] == "missing" and "碳抵消中有绿证" in items[9]["problems"][0]
    assert items[8]["status"] == "not_applicable"  # I01 not claimed


def test_honour_token_makes_the_smart_factory_document_required(runner, tiny):
    edit_dossier(tiny, lambda d: d["subject"].__setitem__("honours", [{"name": "江苏省先进级智能工厂", "year": 2024}]))
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[11]["status"] == "missing"


def test_seal_and_signature_are_listed_to_confirm_never_passed(runner, tiny):
    write_pdf(item_folder(tiny, JIANGSU, 3) / "申报书（盖章版）.pdf", "江苏省零碳（近零碳）工厂申报书")
    _, data = run_check(runner, tiny, "--json")
    item = by_no(data)[3]
    assert item["status"] == "to_confirm"
    assert item["problems"] == ["请确认已加盖申报单位公章", "请确认已加盖骑缝章", "请确认已由法定代表人（企业负责人）签字"]


def test_validity_read_from_the_certificate_text(runner, tmp_path):
    directory = tmp_path / "zj"
    init_dossier(directory, "zhejiang-green-low-carbon-factory", name="某某有限公司", reporting_year=2026)
    folder = item_folder(directory, "zhejiang-green-low-carbon-factory", 2)
    write_pdf(folder / "生产许可证.pdf", "全国工业产品生产许可证", "有效期至 2026年5月10日")
    _, data = run_check(runner, directory, "--json")
    item = by_no(data)[2]
    assert item["status"] == "expired"
    assert any("2026-05-10" in p for p in item["problems"])

    write_pdf(folder / "生产许可证.pdf", "全国工业产品生产许可证", "有效期至：2027-02-01")
    _, data = run_check(runner, directory, "--json")
    assert by_no(data)[2]["status"] == "expiring"

    write_pdf(folder / "生产许可证.pdf", "全国工业产品生产许可证")  # no date printed: a person checks
    _, data = run_check(runner, directory, "--json")
    assert by_no(data)[2]["status"] == "to_confirm"
    assert any("未能读出有效期" in p for p in by_no(data)[2]["problems"])


def test_years_from_a_range_in_the_name_or_from_the_first_page(runner, tiny):
    folder = item_folder(tiny, JIANGSU, 5)
    write_pdf(folder / "2023-2024年温室气体核查报告.pdf", "核查报告")
    write_pdf(folder / "核查报告（最新）.pdf", "2025年度温室气体排放核查报告")
    _, data = run_check(runner, tiny, "--json")
    item = by_no(data)[5]
    assert not any("缺少" in p for p in item["problems"]), item["problems"]


def test_formats_word_is_not_accepted_where_the_scheme_does_not_allow_it(runner, tiny):
    folder = item_folder(tiny, JIANGSU, 1)
    word = DocxDocument()
    word.add_paragraph("营业执照")
    word.save(folder / "营业执照.docx")
    _, data = run_check(runner, tiny, "--json")
    item = by_no(data)[1]
    assert item["status"] == "incomplete" and "Word文件不计入" in item["problems"][0]
    write_pdf(folder / "营业执照.pdf", "营业执照")
    _, data = run_check(runner, tiny, "--json")
    item = by_no(data)[1]
    assert item["status"] == "to_confirm" and "请确认是否仍需提交" in item["problems"][0]


def test_foreign_language_material_needs_a_chinese_translation(runner, tiny):
    folder = item_folder(tiny, JIANGSU, 6)
    write_pdf(folder / "Energy Audit Report.pdf", "Energy Audit Report 2025", "Prepared for the factory by an auditor")
    write_pdf(folder / "2025年度能源审计报告.pdf", "2025年度能源审计报告")
    _, data = run_check(runner, tiny, "--json")
    item = by_no(data)[6]
    assert item["status"] == "incomplete"
    assert any("Energy Audit Report.pdf 为外文材料" in p for p in item["problems"])
    write_pdf(folder / "Energy Audit Report（中文译文）.pdf", "能源审计报告（中文译文）")
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[6]["status"] == "ok"


def test_a_scanned_document_with_an_english_name_needs_a_translation(runner, tiny):
    scan = PdfWriter()
    scan.add_blank_page(595, 842)  # a scan: no text layer
    with (item_folder(tiny, JIANGSU, 13) / "Sustainability Report 2025.pdf").open("wb") as handle:
        scan.write(handle)
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[13]["status"] == "incomplete"
    assert "缺少中文翻译件" in by_no(data)[13]["problems"][0]


def test_a_bilingual_certificate_needs_no_translation(runner, tiny):
    write_pdf(item_folder(tiny, JIANGSU, 1) / "Business Licence.pdf", "营业执照 Business Licence", "统一社会信用代码")
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[1]["status"] == "ok"


# --- odd evidence folders --------------------------------------------------------------------


def test_odd_folders_work(runner, tiny, no_hang):
    evidence = tiny / "evidence"
    # Full-width digits and spaces in a renamed item folder: still item 1.
    (evidence / "01 营业执照或法人登记证书复印件").rmdir()
    write_pdf(evidence / "０１　营业执照（副本）" / "营业 执照 副本.pdf", "营业执照")
    # Deep nesting below the item folder.
    deep = item_folder(tiny, JIANGSU, 5) / "2025" / "第三方" / "核查机构" / "终版" / "扫描"
    for year in (2023, 2024, 2025):
        write_pdf(deep / f"{year}年度温室气体排放核查报告.pdf", "核查报告")
    # The same file name in two folders: both listed, each on its item.
    write_pdf(item_folder(tiny, JIANGSU, 6) / "说明.pdf", "能源审计")
    write_pdf(item_folder(tiny, JIANGSU, 7) / "说明.pdf", "管理机构")
    # A zero-byte file: reported on its item.
    (item_folder(tiny, JIANGSU, 12) / "平台截图.png").write_bytes(b"")
    # A corrupt PDF (random bytes) and a password-protected one.
    (item_folder(tiny, JIANGSU, 13) / "ESG报告.pdf").write_bytes(os.urandom(300))
    locked = PdfWriter()
    locked.add_blank_page(100, 100)
    locked.encrypt(user_password="secret", owner_password="owner")
    with (item_folder(tiny, JIANGSU, 10) / "2023-2025年设备台账.pdf").open("wb") as handle:
        locked.write(handle)
    # A link to a file that was deleted.
    os.symlink("已删除.pdf", item_folder(tiny, JIANGSU, 14) / "失效链接.pdf")
    # A symbolic-link loop, hidden files and folders, and Office lock files.
    (evidence / ".git").mkdir()
    (evidence / ".git" / "config.pdf").write_bytes(b"%PDF-1.4")
    os.symlink("..", item_folder(tiny, JIANGSU, 4) / "循环链接")
    (evidence / ".DS_Store").write_bytes(b"x")
    (item_folder(tiny, JIANGSU, 2) / "~$入库申报表.docx").write_bytes(b"x")
    # A file outside every item folder, recognised by its name; and one nobody knows.
    write_pdf(evidence / "杂项" / "绿色工厂名单发文.pdf", "关于公布绿色工厂名单的通知")
    write_pdf(evidence / "杂项" / "会议纪要.pdf", "会议纪要")

    result, data = run_check(runner, tiny, "--json")
    assert result.exit_code == 1, result.output
    items = by_no(data)
    assert items[1]["files"] == ["evidence/０１　营业执照（副本）/营业 执照 副本.pdf"]
    assert items[1]["status"] == "ok"
    assert len(items[5]["files"]) == 3 and not any("缺少" in p for p in items[5]["problems"])
    assert items[6]["files"] == [f"evidence/{items_folder(6)}/说明.pdf"]
    assert items[7]["files"] == [f"evidence/{items_folder(7)}/说明.pdf"]
    assert items[12]["status"] == "incomplete" and any("空文件" in p for p in items[12]["problems"])
    assert items[13]["status"] == "incomplete" and any("PDF" in p and "损坏" in p for p in items[13]["problems"])
    assert items[10]["status"] == "incomplete" and any("密码" in p for p in items[10]["problems"])
    assert items[4]["files"] == ["evidence/杂项/绿色工厂名单发文.pdf"]
    assert data["unmatched_files"] == ["evidence/杂项/会议纪要.pdf"]
    assert any("循环链接" in w for w in data["warnings"])
    assert items[14]["status"] == "incomplete" and any("链接已失效" in p for p in items[14]["problems"])
    everything = json.dumps(data, ensure_ascii=False)
    assert ".DS_Store" not in everything and "~$" not in everything and ".git" not in everything


def items_folder(no: int) -> str:
    return load_scheme(JIANGSU).evidence_list[no - 1].folder


def test_a_file_is_recognised_by_its_first_page(runner, tiny):
    write_pdf(tiny / "evidence" / "扫描件" / "scan0001.pdf", "企业可持续发展报告", "ESG")
    _, data = run_check(runner, tiny, "--json")
    assert by_no(data)[13]["files"] == ["evidence/扫描件/scan0001.pdf"]
    assert data["unmatched_files"] == []


def _check_with_linked_folder(tiny, shared):
    """Item 01's folder and a second folder are both links to ``shared`` (a 营业执照 in it)."""
    write_pdf(shared / "营业执照.pdf", "营业执照")
    (tiny / "evidence" / "01 营业执照或法人登记证书复印件").rmdir()
    os.symlink(shared, tiny / "evidence" / "01 营业执照或法人登记证书复印件")
    os.symlink(shared, tiny / "evidence" / "又一个链接")
    return check_dossier(load_dossier(tiny), ON_DATE)


def test_linked_folder_outside_the_dossier_is_reported_not_followed(tiny, tmp_path, no_hang):
    # issue 13: nothing outside the dossier is read as evidence, even through a link
    report = _check_with_linked_folder(tiny, tmp_path / "共享证书库")
    assert report.items[0].files == []
    assert report.items[0].status == "missing"
    for name in ("01 营业执照或法人登记证书复印件", "又一个链接"):
        assert any(name in w and "档案目录以外" in w for w in report.warnings)


def test_linked_folder_inside_the_dossier_is_followed_once(tiny, no_hang):
    report = _check_with_linked_folder(tiny, tiny / "共享证书库")
    assert report.items[0].files == ["evidence/01 营业执照或法人登记证书复印件/营业执照.pdf"]
    assert any("又一个链接" in w for w in report.warnings)


def test_no_evidence_folder_at_all(runner, tiny):
    shutil.rmtree(tiny / "evidence")
    result, data = run_check(runner, tiny, "--json")
    assert result.exit_code == 1
    assert any("evidence" in w for w in data["warnings"])


# --- cross-checks with dossier.yaml ------------------------------------------------------------


def test_jiangsu_bc1_and_the_green_factory_level_must_agree(runner, example_copy):
    directory = example_copy(JIANGSU)
    edit_dossier(directory, lambda d: d["subject"]["green_factory"].__setitem__("level", "市级"))
    result, data = run_check(runner, directory, "--json")
    assert result.exit_code == 1
    messages = [c["message"] for c in data["cross_checks"]]
    assert any("BC1" in m and "subject.green_factory.level" in m and "市级" in m for m in messages)
    assert all(c["line"] for c in data["cross_checks"])


def test_jiangsu_bc1_met_without_the_green_factory_document(runner, example_copy):
    directory = example_copy(JIANGSU)
    folder = item_folder(directory, JIANGSU, 4)
    for file in folder.iterdir():
        file.unlink()
    result, data = run_check(runner, directory, "--json")
    assert by_no(data)[4]["status"] == "missing"
    assert any("BC1" in c["message"] and "第4项" in c["message"] for c in data["cross_checks"])
    # The reference in basic_conditions.BC1.evidence now points at nothing, too.
    assert any(c["where"].startswith("basic_conditions.BC1.evidence") and "不存在" in c["message"] for c in data["cross_checks"])


def test_an_indicator_claimed_without_an_evidence_reference(runner, example_copy):
    directory = example_copy(JIANGSU)
    edit_dossier(directory, lambda d: d["indicators"]["I03"].__setitem__("evidence", []))
    result, data = run_check(runner, directory, "--json")
    assert result.exit_code == 1
    check = next(c for c in data["cross_checks"] if c["where"] == "indicators.I03.status")
    assert "没有填写证明材料索引" in check["message"] and check["severity"] == "error"


# --- outputs ----------------------------------------------------------------------------------


def test_json_follows_the_schema(runner, example_copy):
    directory = example_copy(JIANGSU)
    _, data = run_check(runner, directory, "--json")
    assert {"scheme", "as_of", "complete", "items", "unmatched_files"} <= set(data)
    assert data["scheme"] == JIANGSU and data["as_of"] == ON and isinstance(data["complete"], bool)
    assert isinstance(data["unmatched_files"], list)
    assert len(data["items"]) == 14
    for item in data["items"]:
        assert set(item) == {"no", "title", "status", "files", "problems"}
        assert isinstance(item["no"], int) and isinstance(item["title"], str)
        assert item["status"] in STATUS_LABELS
        assert all(isinstance(f, str) for f in item["files"]) and all(isinstance(p, str) for p in item["problems"])


def test_terminal_table_is_chinese_and_aligned(runner, example_copy):
    directory = example_copy(JIANGSU)
    report = check_dossier(load_dossier(directory), ON_DATE)
    text = render_text(report, width=100)
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("序号"))
    assert header.split() == ["序号", "材料", "状态", "文件", "问题"]
    table = lines[1: lines.index(next(line for line in lines if line.startswith("汇总")))]
    assert all(display_width(line) <= 100 for line in table)
    status_column = display_width(header[: header.index("状态")])
    for item in report.items:
        row = next(line for line in table if line.startswith(f"{item.no} "))
        assert display_width(row[: row.index(item.label)]) == status_column
    assert "结论：材料齐全" in text


def test_cli_table_and_exit_code(runner, example_copy):
    directory = example_copy(JIANGSU)
    result = runner.invoke(main, ["check", str(directory), "--on", ON])
    assert result.exit_code == 0
    assert "待确认" in result.output and "请确认已加盖骑缝章" in result.output


def test_xlsx_has_one_row_per_item_and_keeps_the_teams_columns(runner, example_copy, tmp_path):
    directory = example_copy(JIANGSU)
    target = tmp_path / "out" / "检查清单.xlsx"
    result, data = run_check(runner, directory, "--json", "--xlsx", str(target))
    assert result.exit_code == 0
    sheet = load_workbook(target)["材料清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "材料", "状态", "文件", "问题", "负责人", "完成时间", "备注")
    assert [r[0] for r in rows[1:]] == list(range(1, 15))
    assert [r[2] for r in rows[1:]] == [STATUS_LABELS[i["status"]] for i in data["items"]]
    assert sheet.cell(2, 3).fill.fgColor.rgb.endswith("C6EFCE")  # 齐全 is green
    assert sheet.cell(3, 3).fill.fgColor.rgb.endswith("DDEBF7")  # 待确认 is blue

    sheet.cell(2, 6, "张三")
    sheet.cell(2, 7, dt.datetime(2026, 12, 1))
    sheet.parent.save(target)
    run_check(runner, directory, "--json", "--xlsx", str(target))
    again = load_workbook(target)["材料清单"]
    assert again.cell(2, 6).value == "张三" and again.cell(2, 7).value == dt.datetime(2026, 12, 1)
    assert [p.name for p in target.parent.iterdir()] == ["检查清单.xlsx"]  # no temporary file left


def test_xlsx_refuses_to_overwrite_a_file_that_is_not_a_checklist(runner, example_copy, tmp_path):
    directory = example_copy(JIANGSU)
    target = tmp_path / "笔记.xlsx"
    target.write_text("我的笔记", encoding="utf-8")
    result = runner.invoke(main, ["check", str(directory), "--on", ON, "--xlsx", str(target)])
    assert result.exit_code == 2 and "换一个文件名" in result.output
    assert target.read_text(encoding="utf-8") == "我的笔记"


def test_bad_input_exits_2(runner, tmp_path, tiny):
    assert runner.invoke(main, ["check", str(tmp_path / "nowhere")]).exit_code == 2
    result = runner.invoke(main, ["check", str(tiny), "--on", "2026-13-40"])
    assert result.exit_code == 2


def test_check_has_help(runner):
    result = runner.invoke(main, ["check", "--help"])
    assert result.exit_code == 0 and "--xlsx" in result.output and "--on" in result.output


# --- the rules are data -----------------------------------------------------------------------


def test_jiangsu_conditions_are_translated_into_rules():
    items = load_scheme(JIANGSU).evidence_list
    assert items[7].required_if == ["I01"]
    assert {"I02", "offsets:绿证"} <= set(items[8].required_if)
    assert "I08" in items[10].required_if
    assert all(item.translation for item in items)
    assert items[3].supports_condition.id == "BC1"
    assert items[1].confirm == ["公章", "签字"] and items[2].confirm == ["公章", "骑缝章", "签字"]


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_conditional_items_say_when(scheme_id):
    for item in load_scheme(scheme_id).evidence_list:
        if item.required_if:
            assert not item.required and item.required_when, item.no


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("required_if", ["I99"], "I99"),
        ("required_if", ["offset:绿证"], "offsets"),
        ("required_if", ["offsets:太阳"], "绿证"),
        ("confirm", ["公张"], "公章"),
        ("supports_condition", {"id": "BC1", "field": "subject.green_factory.grade"}, "grade"),
    ],
)
def test_a_broken_evidence_rule_fails_when_the_scheme_loads(key, value, expected):
    data = load_yaml_file(ROOT / "checklists" / f"{JIANGSU}.yaml").data
    entry = data["evidence_list"][10]
    entry[key] = value
    with pytest.raises(SchemeDataError, match=expected) as err:
        parse_scheme(data, "my-scheme.yaml")
    assert "my-scheme.yaml" in str(err.value) and "evidence_list" in str(err.value)
