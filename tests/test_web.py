"""The web workspace in process (Starlette TestClient): every route of the route table,
the conflict of two tabs, upload limits and hostile names, paths confined to a dossier."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from dossier import edit
from dossier.web import create_app
from dossier.web.routes import ROUTES, route_for

from .conftest import DATA, EXAMPLES

SUZHOU = "suzhou-green-factory"
LICENCE = DATA / "extract" / "license_suzhou.pdf"


def _track(client: TestClient) -> TestClient:
    return client


@pytest.fixture
def workspace(tmp_path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copytree(EXAMPLES / SUZHOU, ws / SUZHOU)
    return ws


@pytest.fixture
def client(workspace) -> TestClient:
    return _track(TestClient(create_app(workspace)))


def _new(client: TestClient, name: str = "苏州禾川精密电子有限公司", scheme: str = SUZHOU) -> str:
    r = client.post("/new", data={"scheme": scheme, "name": name, "year": "2026"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    from urllib.parse import unquote

    return unquote(r.headers["location"].split("/")[2])


def _version(html: str) -> str:
    return re.search(r'name="_version" value="([0-9a-f]+)"', html).group(1)


def _field(html: str, path: str) -> str:
    """The form field name of the input for a dossier path (the row key is its JSON list)."""
    keys = ", ".join(f'"{p}"' for p in path.split("."))
    return f"[{keys}]|value"


# --- dashboard and new dossier ---------------------------------------------------------------


def test_dashboard_lists_dossiers_with_status_and_filters(client, workspace):
    broken = workspace / "坏档案"
    broken.mkdir()
    (broken / "dossier.yaml").write_text("scheme: suzhou-green-factory\nreporting_year: [\n", encoding="utf-8")
    (workspace / "不是档案").mkdir()
    r = client.get("/")
    assert r.status_code == 200
    assert "苏州汾澜精密压铸科技有限公司" in r.text and "苏州市绿色工厂" in r.text
    assert "档案有误" in r.text and "不是档案" not in r.text
    assert re.search(r"<b>2</b>份档案", r.text)
    assert "87.47 / 100" in r.text  # score / max of the example (dossier score says the same)
    assert "GB/T 23331-2020/ISO 50001:2018 至 2027-01-28" in r.text  # expires within 90 days of today
    only_errors = client.get("/", params={"status": "error"}).text
    assert "坏档案" in only_errors and "苏州汾澜" not in only_errors
    assert "苏州汾澜" not in client.get("/", params={"q": "宁波"}).text
    assert "苏州汾澜" in client.get("/", params={"q": "汾澜", "sort": "deadline", "programme": SUZHOU}).text
    home = client.get(f"/d/{SUZHOU}", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == f"/d/{SUZHOU}/data/basic"


def test_dashboard_row_follows_the_files_recomputed_in_the_background(client, workspace):
    assert "齐全" in client.get("/").text
    item = next((workspace / SUZHOU / "evidence").iterdir())
    moved = workspace / "elsewhere"
    shutil.move(str(item), moved)
    text = client.get("/").text  # answered from the cache at once, the row marked
    assert "（更新中）" in text
    client.app.state.status.wait()
    text = client.get("/").text
    assert "缺失 1" in text and "（更新中）" not in text


def test_dashboard_rows_survive_a_restart_and_follow_edits(workspace):
    TestClient(create_app(workspace)).get("/")
    cache = workspace / SUZHOU / "output" / ".web-status.json"
    assert "苏州汾澜精密压铸科技有限公司" in cache.read_text(encoding="utf-8")
    file = workspace / SUZHOU / "dossier.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("苏州汾澜精密压铸科技有限公司", "苏州汾澜新名称有限公司", 1),
                    encoding="utf-8")
    text = TestClient(create_app(workspace)).get("/").text  # a restarted server: the old row is not used
    assert "苏州汾澜新名称有限公司" in text and "苏州汾澜精密压铸科技有限公司" not in text


def test_new_dossier_is_the_cli_init(client, workspace):
    r = client.get("/new")
    assert "苏州市绿色工厂" in r.text and "证明材料" in r.text
    assert "<title>新建档案 · dossier</title>" in r.text  # the page title, not a form
    assert r.text.count('id="new-from-forms"') == 1
    name = _new(client)
    text = (workspace / name / "dossier.yaml").read_text(encoding="utf-8")
    assert 'name: "苏州禾川精密电子有限公司"' in text and "reporting_year: 2026" in text
    assert (workspace / name / "evidence").is_dir()
    # the same name again is refused, nothing overwritten
    r = client.post("/new", data={"scheme": SUZHOU, "name": "苏州禾川精密电子有限公司", "year": "2026"})
    assert r.status_code == 400 and "已存在" in r.text
    r = client.post("/new", data={"scheme": SUZHOU, "name": "x", "folder": "../../逃逸", "year": "2026"}, follow_redirects=False)
    assert r.status_code == 303 and not (workspace.parent / "逃逸").exists()
    assert (workspace / ".._.._逃逸").is_dir() or any("逃逸" in p.name for p in workspace.iterdir())


# --- data tabs -----------------------------------------------------------------------------


def test_save_a_field_keeps_comments_and_backs_up(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    page = client.get(f"/d/{SUZHOU}/data/basic")
    assert page.status_code == 200 and "企业（园区）全称" in page.text
    r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(page.text),
                                                      _field(page.text, "subject.address"): "苏州市吴江区汾湖大道1号"})
    assert r.status_code == 200 and "已保存 1 处修改" in r.text
    text = file.read_text(encoding="utf-8")
    assert re.search(r'  address: "苏州市吴江区汾湖大道1号" +# 地址\n', text)
    assert "# 苏州市绿色工厂 申报档案" in text  # the header comment is kept
    assert len(list(file.parent.glob("dossier.yaml.bak-*"))) == 1


def test_years_and_self_evaluation_tabs_save(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    page = client.get(f"/d/{SUZHOU}/data/years").text
    name = '["years", "*", "output_value"]|y2025'
    assert f'name="{name}"' in html.unescape(page)
    r = client.post(f"/d/{SUZHOU}/data/years", data={"_version": _version(page), name: "123456.5"})
    assert "已保存 1 处修改" in r.text
    assert edit.DossierEdit(file.parent).get("years.2025.output_value") == 123456.5
    page = client.get(f"/d/{SUZHOU}/data/self").text
    assert "符合" in page and "部分符合" in page and "不适用" in page
    status_field = re.search(r'name="(\[&#34;indicators&#34;, &#34;[^&]+&#34;\]\|status)"', page).group(1).replace("&#34;", '"')
    r = client.post(f"/d/{SUZHOU}/data/self", data={"_version": _version(page), status_field: "不适用"})
    assert r.status_code == 200 and "已保存" in r.text


def test_a_new_certificate_is_added_in_a_blank_row(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    before = len(edit.DossierEdit(file.parent).get("subject.certifications"))
    page = html.unescape(client.get(f"/d/{SUZHOU}/data/basic").text)
    blank = re.search(r'name="(#new:certifications:\d+)\|number"', page).group(1)
    data = {"_version": _version(page), f"{blank}|kind": "质量管理体系", f"{blank}|number": "00126Q99999R0M",
            f"{blank}|valid_until": "2029-05-01"}
    r = client.post(f"/d/{SUZHOU}/data/basic", data=data)
    assert r.status_code == 200 and "已保存 1 处修改" in r.text
    certs = edit.DossierEdit(file.parent).get("subject.certifications")
    assert len(certs) == before + 1
    assert certs[-1]["kind"] == "quality" and certs[-1]["number"] == "00126Q99999R0M"
    assert str(certs[-1]["valid_until"]) == "2029-05-01"
    # a blank row without its required column is refused beside the field
    page = html.unescape(client.get(f"/d/{SUZHOU}/data/basic").text)
    honour = re.search(r'name="(#new:honours:\d+)\|year"', page)
    if honour:
        r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(page), f"{honour.group(1)}|year": "2024"})
        assert r.status_code == 400 and "新增的一行缺少" in r.text


def test_points_above_the_maximum_are_refused_beside_the_field(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    before = file.read_bytes()
    page = client.get(f"/d/{SUZHOU}/data/self").text
    points = re.search(r'name="(\[&#34;indicators&#34;, &#34;[^&]+&#34;\]\|points)"[^>]*title="0–([\d.]+)"', page)
    field, maximum = points.group(1).replace("&#34;", '"'), float(points.group(2))
    r = client.post(f"/d/{SUZHOU}/data/self", data={"_version": _version(page), field: str(maximum + 5)})
    assert r.status_code == 400
    assert re.search(rf'class="field-error">应在 0–{maximum:g} 之间，实际为 {maximum + 5:g}<', r.text)
    assert file.read_bytes() == before


def test_invalid_value_is_not_written_and_shown_beside_the_field(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    before = file.read_bytes()
    page = client.get(f"/d/{SUZHOU}/data/basic").text
    r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(page),
                                                      _field(page, "subject.contact.email"): "没有at符号"})
    assert r.status_code == 400 and "未保存" in r.text
    assert re.search(r'没有at符号"[^>]*>\s*<div class="field-error">', r.text)
    assert file.read_bytes() == before


def test_two_tabs_second_save_gets_a_conflict_and_loses_nothing(client, workspace):
    file = workspace / SUZHOU / "dossier.yaml"
    tab1 = client.get(f"/d/{SUZHOU}/data/basic").text
    tab2 = client.get(f"/d/{SUZHOU}/data/basic").text
    client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(tab1), _field(tab1, "subject.industry"): "压铸件制造"})
    r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(tab2), _field(tab2, "subject.main_business"): "第二个窗口的主营业务"})
    assert r.status_code == 409
    assert "保存冲突" in r.text and "subject.industry：汽车零部件及配件制造 → 压铸件制造" in r.text
    assert "第二个窗口的主营业务" in r.text  # the user's input is still in the form
    text = file.read_text(encoding="utf-8")
    assert "压铸件制造" in text and "第二个窗口的主营业务" not in text
    # saving again from the page the conflict showed goes through
    r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(r.text), _field(tab2, "subject.main_business"): "第二个窗口的主营业务"})
    assert r.status_code == 200 and "第二个窗口的主营业务" in file.read_text(encoding="utf-8")


# --- evidence --------------------------------------------------------------------------------


def _status(html: str, no: int) -> str:
    row = re.search(rf'id="item-{no}".*?data-status="(\w+)"', html, re.S)
    return row.group(1)


def test_upload_into_an_item_changes_its_status(client, workspace):
    name = _new(client)
    page = client.get(f"/d/{name}/evidence").text
    assert _status(page, 1) == "missing"
    r = client.post(f"/d/{name}/evidence/1/upload", files={"file": ("营业执照.pdf", LICENCE.read_bytes(), "application/pdf")})
    assert r.status_code == 200 and "已上传 1 个文件到第 1 项" in r.text
    assert _status(r.text, 1) == "ok"
    stored = list((workspace / name / "evidence").glob("01*/营业执照.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == LICENCE.read_bytes()
    # the same name again gets a new name, the first file is kept
    client.post(f"/d/{name}/evidence/1/upload", files={"file": ("营业执照.pdf", LICENCE.read_bytes(), "application/pdf")})
    assert sorted(p.name for p in stored[0].parent.iterdir()) == ["营业执照.pdf", "营业执照（2）.pdf"]
    # preview and download
    rel = stored[0].relative_to(workspace / name).as_posix()
    r = client.get(f"/d/{name}/file/{rel}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.headers["content-disposition"].startswith("inline")
    assert client.get(f"/d/{name}/file/{rel}", params={"download": 1}).headers["content-disposition"].startswith("attachment")


def test_upload_names_are_sanitised_and_types_sniffed(client, workspace):
    name = _new(client)
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (20, 20), "white").save(png, "PNG")
    r = client.post(f"/d/{name}/evidence/2/upload", headers={"accept": "application/json"},
                    files={"file": ("../../\x07evil..pdf", png.getvalue(), "application/pdf")})
    assert r.status_code == 200, r.text
    saved = r.json()["saved"][0]
    assert saved.startswith("evidence/02") and saved.endswith("evil.png") and ".." not in saved
    assert saved.count("/") == 2
    assert not (workspace.parent / "evil.pdf").exists()
    long = client.post(f"/d/{name}/evidence/2/upload", headers={"accept": "application/json"},
                       files={"file": ("长" * 300 + ".pdf", LICENCE.read_bytes(), "application/pdf")}).json()
    stored = long["saved"][0].rsplit("/", 1)[1]
    assert stored.endswith(".pdf") and len(stored.encode()) <= 200 and stored.startswith("长" * 60)
    r = client.post(f"/d/{name}/evidence/2/upload", files={"file": ("说明.pdf", b"just some text", "application/pdf")})
    assert r.status_code == 400 and "不是可接受的类型" in r.text


def test_safe_names():
    from dossier.web.uploads import safe_name

    assert safe_name("..\\..\\证书\x00\x1b[31m.PDF", "pdf") == "证书[31m.pdf"
    assert safe_name(".bashrc", "pdf") == "bashrc.pdf"
    assert safe_name("照片.pdf", "jpg") == "照片.jpg"  # a photo named .pdf gets its real suffix
    assert safe_name("a:b*c?.docx", "docx") == "a_b_c_.docx"


def test_corrupt_pdf_is_accepted_and_flagged(client, workspace):
    name = _new(client)
    r = client.post(f"/d/{name}/evidence/1/upload", files={"file": ("营业执照.pdf", b"%PDF-1.7\n1 0 obj garbage", "application/pdf")})
    assert r.status_code == 200
    assert "已保存，但PDF 无法读取" in r.text
    assert _status(r.text, 1) != "ok"  # the checklist flags the file
    assert list((workspace / name / "evidence").glob("01*/营业执照.pdf"))


def test_upload_size_limit(workspace):
    client = _track(TestClient(create_app(workspace, max_upload=10_000)))
    r = client.post(f"/d/{SUZHOU}/evidence/1/upload", files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * 20_000, "application/pdf")})
    assert r.status_code == 413 and "超过上传大小上限" in r.text
    r = client.post(f"/d/{SUZHOU}/evidence/1/upload", content=b"x" * 100,
                    headers={"content-length": str(50 * 1024 * 1024), "content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413


def test_remove_moves_to_the_dossier_trash(client, workspace):
    directory = workspace / SUZHOU
    victim = sorted((directory / "evidence").rglob("*.pdf"))[0]
    data = victim.read_bytes()
    rel = victim.relative_to(directory).as_posix()
    r = client.post(f"/d/{SUZHOU}/evidence/remove", data={"path": rel})
    assert r.status_code == 200 and "回收目录" in r.text
    assert not victim.exists()
    trashed = list((directory / ".trash").rglob(victim.name))
    assert len(trashed) == 1 and trashed[0].read_bytes() == data
    assert client.post(f"/d/{SUZHOU}/evidence/remove", data={"path": "dossier.yaml"}).status_code == 404
    assert (directory / "dossier.yaml").exists()


@pytest.mark.parametrize("path", ["../ws/suzhou-green-factory/dossier.yaml", "%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
                                  "evidence/../../../etc/passwd", "link/passwd"])
def test_paths_outside_the_dossier_are_404(client, workspace, path):
    (workspace / SUZHOU / "link").symlink_to("/etc")
    r = client.get(f"/d/{SUZHOU}/file/{path}")
    assert r.status_code == 404
    assert "root:" not in r.text


def test_unknown_dossiers_are_404(client, workspace):
    (workspace / "链接").symlink_to(workspace / SUZHOU)
    for url in ("/d/nothing/evidence", "/d/.trash/evidence", "/d/链接/evidence", "/d/..%2F..%2Fetc/evidence"):
        assert client.get(url).status_code == 404, url


def test_licence_upload_proposes_values_accepted_one_by_one(client, workspace):
    name = _new(client)
    file = workspace / name / "dossier.yaml"
    assert re.search(r'id="item-1".*?name="extract" value="1" checked', client.get(f"/d/{name}/evidence").text, re.S)
    r = client.post(f"/d/{name}/evidence/1/upload", data={"extract": "1"},
                    files={"file": ("营业执照.pdf", LICENCE.read_bytes(), "application/pdf")})
    assert r.status_code == 200 and "营业执照" in r.text
    assert "91320594MA1P8K3T2W" in r.text and "营业执照.pdf 第 1 页" in r.text
    again = client.get(f"/d/{name}/extract", params={"file": "evidence/01 营业执照/营业执照.pdf"})
    assert again.status_code == 200 or again.status_code == 404
    form = re.search(r'<tr class="proposal st-filled" data-path="subject.credit_code">.*?</tr>', r.text, re.S).group(0)
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    r = client.post(f"/d/{name}/extract/accept", data={k: v.replace("&#34;", '"') for k, v in values.items()})
    assert "已填写" in r.text
    text = file.read_text(encoding="utf-8")
    assert re.search(r'credit_code: "91320594MA1P8K3T2W" +#.*来源：营业执照.pdf 第 1 页', text)
    assert "苏州工业园区星湖街218号" not in text  # not accepted: not written
    # never overwrite: a value the user typed stays
    text = text.replace('credit_code: "91320594MA1P8K3T2W"', 'credit_code: "91320594MA1P8K3T3X"')
    file.write_text(text, encoding="utf-8")
    r = client.post(f"/d/{name}/extract/accept", data={**values, "value": '"91320594MA1P8K3T2W"'})
    assert "保留原值" in r.text and "91320594MA1P8K3T3X" in file.read_text(encoding="utf-8")


# --- score, forms, package, rollover, workbook ---------------------------------------------------


def test_score_tab_and_chart(client):
    r = client.get(f"/d/{SUZHOU}/score")
    assert "87.47" in r.text and "达到申报条件" in r.text
    svg = client.get(f"/d/{SUZHOU}/score.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and svg.text.count('class="bar"') >= 3


def test_forms_render_and_download(client, workspace):
    page = client.get(f"/d/{SUZHOU}/forms").text
    form_id = re.search(r'name="form" value="([^"]+)"', page).group(1)
    r = client.post(f"/d/{SUZHOU}/forms/render", data={"form": form_id})
    assert "已生成 1 份表单" in r.text
    # named with the enterprise's full name, as the bureau asks
    link = re.search(rf'href="(/d/{SUZHOU}/file/output/[^"]+\.(?:docx|xlsx)\?download=1)"', r.text).group(1)
    data = client.get(link).content
    assert data[:2] == b"PK"


def test_new_dossier_from_last_years_forms(client, workspace):
    client.post(f"/d/{SUZHOU}/forms/render", data={})
    files = [("file", (p.name, p.read_bytes(), "application/octet-stream"))
             for p in sorted((workspace / SUZHOU / "output").glob("*.docx"))]
    assert files
    r = client.post("/new/forms", data={"scheme": SUZHOU, "folder": "读回的档案"}, files=files)
    assert r.status_code == 200, r.text
    text = (workspace / "读回的档案" / "dossier.yaml").read_text(encoding="utf-8")
    assert "由 dossier import 从本工具生成的表单读回" in text and "energy_total_tce: 5458.46" in text
    r = client.post("/new/forms", data={"scheme": SUZHOU, "folder": "读回的档案"}, files=files)
    assert r.status_code == 400 and "已存在" in r.text


def test_package_one_build_at_a_time_with_events(client, workspace):
    name = _new(client)
    first = client.post(f"/d/{name}/package/build", data={"allow_incomplete": "1"}, headers={"accept": "application/json"})
    second = client.post(f"/d/{name}/package/build", data={"allow_incomplete": "1"}, headers={"accept": "application/json"})
    assert first.status_code == 202 and second.status_code == 409
    assert "生成材料包" in client.get(f"/d/{name}/package").text
    events = client.get(f"/d/{name}/package/events").text  # streams until the build ends
    assert "data: " in events and "event: end" in events
    status = client.get(f"/d/{name}/package/status").json()
    assert status["state"] == "done", status
    assert status["events"][-1]["percent"] == 100
    page = client.get(f"/d/{name}/package").text
    assert ".pdf" in page and ".zip" in page and "目录（共" in page
    toc = re.search(r'<table class="grid" id="toc">.*?</table>', page, re.S).group(0)
    assert re.search(r"<td>1</td><td>营业执照", toc) and "缺失" in toc
    pdf = re.search(rf'href="(/d/{name}/file/output/package/[^"]+\.pdf)\?download=1"', page).group(1)
    assert client.get(pdf).content.startswith(b"%PDF")


def test_package_build_refused_when_incomplete_shows_why(client):
    name = _new(client)
    client.post(f"/d/{name}/package/build", headers={"accept": "application/json"})
    client.get(f"/d/{name}/package/events")
    status = client.get(f"/d/{name}/package/status").json()
    assert status["state"] == "failed" and "材料不齐全" in status["error"]


def test_rollover(client, workspace):
    assert "2027" in client.get(f"/d/{SUZHOU}/rollover").text
    r = client.post(f"/d/{SUZHOU}/rollover", data={"year": "2027"})
    assert r.status_code == 200 and "已生成" in r.text
    target = workspace / f"{SUZHOU}-2027"
    assert "reporting_year: 2027" in (target / "dossier.yaml").read_text(encoding="utf-8")
    assert client.post(f"/d/{SUZHOU}/rollover", data={"year": "2027"}).status_code == 400  # exists: refused


def test_workbook_download_preview_apply(client, workspace):
    directory = workspace / SUZHOU
    assert "下载数据填报工作簿" in client.get(f"/d/{SUZHOU}/workbook").text
    r = client.get(f"/d/{SUZHOU}/workbook.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book["基本信息"]
    row = next(c.row for c in sheet["A"] if c.value == '["subject", "industry"]')
    value_col = next(c.column for c in sheet[next(c.row for c in sheet["A"] if c.value and str(c.value).startswith("#block"))] if c.value == "填写值")
    sheet.cell(row, value_col).value = "工作簿里改的行业"
    buffer = io.BytesIO()
    book.save(buffer)
    before = (directory / "dossier.yaml").read_bytes()
    r = client.post(f"/d/{SUZHOU}/workbook/preview", files={"file": ("填报.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert r.status_code == 200 and "导入预览" in r.text and "工作簿里改的行业" in r.text
    assert (directory / "dossier.yaml").read_bytes() == before  # a preview writes nothing
    token = re.search(r'name="token" value="(\w+)"', r.text).group(1)
    version = re.search(r'name="version" value="(\w+)"', r.text).group(1)
    r = client.post(f"/d/{SUZHOU}/workbook/apply", data={"token": token, "version": version})
    assert r.status_code == 200 and "已写入 dossier.yaml" in r.text
    assert "industry: 工作簿里改的行业" in (directory / "dossier.yaml").read_text(encoding="utf-8")
    # a new dossier from the filled workbook
    r = client.post("/new/workbook", data={"folder": "从工作簿新建"}, files={"file": ("填报.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    created = (workspace / "从工作簿新建" / "dossier.yaml").read_text(encoding="utf-8")
    assert "工作簿里改的行业" in created and "苏州汾澜精密压铸科技有限公司" in created


def test_workbook_apply_after_a_change_is_a_conflict(client, workspace):
    r = client.get(f"/d/{SUZHOU}/workbook.xlsx")
    r = client.post(f"/d/{SUZHOU}/workbook/preview", files={"file": ("填报.xlsx", r.content, "application/octet-stream")})
    token = re.search(r'name="token" value="(\w+)"', r.text)
    assert token is None  # nothing to change: no apply button
    assert client.post(f"/d/{SUZHOU}/workbook/apply", data={"token": "../../x", "version": "0"}).status_code == 404


# --- access hooks and coverage ----------------------------------------------------------------


def test_every_route_asks_authorize_with_its_action(workspace):
    asked: list[tuple[str, str | None]] = []

    def authorize(request, action, dossier):
        asked.append((action, dossier))
        if action == "edit_data":
            from starlette.responses import PlainTextResponse

            return PlainTextResponse("没有权限", status_code=403)
        return None

    client = TestClient(create_app(workspace, authorize=authorize))
    assert client.get("/").status_code == 200
    page = client.get(f"/d/{SUZHOU}/data/basic").text
    r = client.post(f"/d/{SUZHOU}/data/basic", data={"_version": _version(page)})
    assert r.status_code == 403
    assert asked == [("list", None), ("view", SUZHOU), ("edit_data", SUZHOU)]
    # (files under output/ — generated forms and packages — also need "download", asked by
    # the file handler; tests/test_web_access.py checks it)
    assert {r.action for r in ROUTES} >= {"list", "view", "create", "edit_data", "edit_self_assessment", "edit_findings",
                                          "upload", "delete_evidence", "build", "render", "rollover", "admin"}


def test_every_route_of_the_table_is_tested():
    """Every (method, path) of the route table is requested by a test of this file (or, for
    the login, accounts, findings and audit pages, of test_web_access.py)."""
    here = Path(__file__)
    source = here.read_text(encoding="utf-8") + here.with_name("test_web_access.py").read_text(encoding="utf-8")
    requested = set()
    for method, url in re.findall(r'client\.(get|post)\(f?"([^"]+)"', source):
        url = re.sub(r"\{[^}]+\}", "x", url).split("?")[0]
        url = url.replace("/x/", "/1/") if "/evidence/x/upload" in url else url
        route = route_for(url, method.upper())
        if route is not None:
            requested.add((method.upper(), route.path))
    missing = [(m, r.path) for r in ROUTES for m in r.methods if (m, r.path) not in requested]
    assert missing == []


def test_serve_binds_localhost_by_default(runner):
    from dossier.cli import main

    serve = main.commands["serve"]
    defaults = {p.name: p.default for p in serve.params}
    assert defaults["host"] == "127.0.0.1" and defaults["port"] == 8765 and defaults["max_upload"] == "200MB"
    result = runner.invoke(main, ["serve", "/no/such/folder"])
    assert result.exit_code == 2 and "/no/such/folder" in result.output
