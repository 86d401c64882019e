"""Accounts in a real browser: Debian chromium via Selenium against `dossier serve` on a
free port, a workspace with two dossiers and accounts. A client logs in, sees only its
dossier, uploads a file and cannot open the other dossier's URL; an evaluator writes a
finding and cannot change a figure. Screenshots go to test-artifacts/web-access/."""

from __future__ import annotations

import shutil

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from dossier.access import audit, users
from dossier.access.store import AccessStore
from dossier.loader import load_dossier

from .conftest import EXAMPLES
from .webreal import chromium, screenshot, serving, wait

SCHEME = "zhejiang-green-low-carbon-factory"
OWN, OTHER = "acme", "beta"
PASSWORDS = {"kehu": "client pass 123", "pingjia": "evaluator pass 1", "boss": "admin pass 123"}


@pytest.fixture
def browser():
    with chromium(console=True) as driver:
        yield driver


def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def shot(driver, name: str) -> None:
    screenshot(driver, "web-access", name, max_height=3000)


@pytest.fixture
def served(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copytree(EXAMPLES / SCHEME, ws / OWN)
    shutil.copytree(EXAMPLES / SCHEME, ws / OTHER)
    enterprise = load_dossier(ws / OWN).dossier.subject.name
    text = (ws / OTHER / "dossier.yaml").read_text(encoding="utf-8")
    (ws / OTHER / "dossier.yaml").write_text(text.replace(enterprise, "乙方另一家企业有限公司"), encoding="utf-8")
    store = AccessStore(ws)
    users.add_user(store, "boss", "admin", PASSWORDS["boss"])
    users.add_user(store, "kehu", "client", PASSWORDS["kehu"], [OWN])
    users.add_user(store, "pingjia", "evaluator", PASSWORDS["pingjia"], [OWN])
    with serving(ws) as (url, _port):
        yield url, ws, store, enterprise


def log_in(d, url: str, name: str) -> None:
    d.delete_all_cookies()
    d.get(url + "/")
    wait(d).until(EC.presence_of_element_located((By.ID, "login-form")))  # sent to the login page
    d.find_element(By.ID, "login-name").send_keys(name)
    d.find_element(By.ID, "login-password").send_keys(PASSWORDS[name])
    d.find_element(By.ID, "login").click()
    wait(d).until(EC.presence_of_element_located((By.ID, "who")))


def test_client_and_evaluator_in_a_browser(served, browser):
    url, ws, store, enterprise = served
    d = browser

    # A wrong password first: the page says so, in Chinese, and nobody is logged in.
    d.get(url + "/")
    d.find_element(By.ID, "login-name").send_keys("kehu")
    d.find_element(By.ID, "login-password").send_keys("not the password")
    d.find_element(By.ID, "login").click()
    assert "用户名或密码错误" in d.find_element(By.ID, "error-message").text
    shot(d, "01-login-error")

    # The client sees only its dossier.
    log_in(d, url, "kehu")
    rows = d.find_elements(By.CSS_SELECTOR, "#dossiers tbody tr[data-name]")
    assert [r.get_attribute("data-name") for r in rows] == [OWN]
    assert enterprise in d.find_element(By.ID, "dossiers").text
    assert "乙方另一家企业有限公司" not in d.page_source
    assert "kehu（申报企业）" in d.find_element(By.ID, "who").text
    assert not d.find_elements(By.LINK_TEXT, "新建档案") and not d.find_elements(By.ID, "nav-admin")
    shot(d, "02-client-dashboard")

    # … uploads a file into an evidence item …
    d.get(f"{url}/d/{OWN}/evidence")
    # an item whose uploads are not licences (those open the extraction proposals next)
    row = next(r for r in d.find_elements(By.CSS_SELECTOR, "#checklist tr.item")
               if not r.find_element(By.CSS_SELECTOR, "td.drop").get_attribute("data-extract"))
    no = row.get_attribute("data-no")
    pdf = next((EXAMPLES / SCHEME / "evidence").rglob("*.pdf"))
    upload = ws.parent / "客户上传的证明.pdf"
    shutil.copy(pdf, upload)
    row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    row.find_element(By.CSS_SELECTOR, "form.upload button").click()
    message = wait(d).until(EC.presence_of_element_located((By.ID, "evidence-message")))
    assert f"已上传 1 个文件到第 {no} 项" in message.text
    assert "客户上传的证明.pdf" in d.find_element(By.ID, f"item-{no}").text
    assert "移除" not in d.find_element(By.ID, "checklist").text    # a client cannot remove evidence
    shot(d, "03-client-uploaded")
    stored = list((ws / OWN / "evidence").rglob("客户上传的证明.pdf"))
    assert len(stored) == 1 and stored[0].read_bytes() == pdf.read_bytes()
    entry = next(e for e in audit.entries(store, OWN) if e.event == "upload")
    assert entry.user == "kehu" and entry.target.endswith("客户上传的证明.pdf")

    # … and cannot open the other dossier, however the URL is written.
    for path in (f"/d/{OTHER}/data/basic", f"/d/{OTHER}/evidence", f"/d/{OTHER}/file/dossier.yaml",
                 f"/d/{OWN}/file/../{OTHER}/dossier.yaml", "/admin/users"):
        d.get(url + path)
        heading = d.find_element(By.TAG_NAME, "h1").text
        assert heading in ("找不到页面或文件", "没有权限"), (path, heading)
        assert "乙方另一家企业有限公司" not in d.page_source
    d.get(f"{url}/d/{OTHER}/data/basic")
    shot(d, "04-client-other-dossier")

    # The evaluator writes a finding …
    log_in(d, url, "pingjia")
    d.get(f"{url}/d/{OWN}/findings")
    box = d.find_element(By.NAME, "evaluator.highlights")
    box.clear()
    box.send_keys("屋顶光伏规模化利用，能源管理中心运行良好")
    d.find_element(By.ID, "save-findings").click()
    wait(d).until(EC.presence_of_element_located((By.ID, "saved-message")))
    assert "屋顶光伏规模化利用" in (ws / OWN / "dossier.yaml").read_text(encoding="utf-8")
    shot(d, "05-evaluator-findings")

    # … and cannot change a figure: the save is refused and the file is unchanged.
    before = (ws / OWN / "dossier.yaml").read_bytes()
    d.get(f"{url}/d/{OWN}/data/years")
    assert "只能查看本页" in d.find_element(By.ID, "readonly-note").text
    assert not d.find_elements(By.ID, "save")
    field = next(f for f in d.find_elements(By.CSS_SELECTOR, "#data-form input.num") if f.get_attribute("value"))
    assert not field.is_enabled()
    shot(d, "06-evaluator-figures-read-only")
    # Even a page tampered with (fields enabled, form submitted by hand) changes nothing.
    d.execute_script("document.getElementById('data-fields').disabled = false;")
    field.clear()
    field.send_keys("999999")
    d.execute_script("document.getElementById('data-form').submit();")
    wait(d).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "没有权限"))
    assert "pingjia（第三方评价机构）无权修改基本信息和年度数据" in d.find_element(By.ID, "error-message").text
    shot(d, "07-evaluator-figure-refused")
    assert (ws / OWN / "dossier.yaml").read_bytes() == before

    # The dossier's 修改记录 shows who did what.
    d.get(f"{url}/d/{OWN}/audit")
    log = d.find_element(By.ID, "audit").text
    assert "evaluator.highlights" in log and "pingjia" in log and "客户上传的证明.pdf" in log and "kehu" in log
    shot(d, "08-audit-log")

    # The admin's page lists the accounts.
    log_in(d, url, "boss")
    d.find_element(By.ID, "nav-admin").click()
    accounts = d.find_element(By.ID, "accounts").text
    assert "kehu" in accounts and "pingjia" in accounts and "申报企业" in accounts
    shot(d, "09-admin-users")
    # Every page above ran with the Content-Security-Policy (no inline script) and broke none of it.
    assert csp_violations(d) == []
