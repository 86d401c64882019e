"""The web workspace end to end in a real browser: Debian's chromium and chromium-driver
(installed by scripts/setup.sh) driven by Selenium, against `dossier serve` started on a
free port of 127.0.0.1. Screenshots of each page go to test-artifacts/web/ (git-ignored)."""

from __future__ import annotations

import base64
import re
import shutil
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from .conftest import DATA, EXAMPLES
from .webreal import chromium, page_text, screenshot, serving, wait

LICENCE = DATA / "extract" / "license_suzhou.pdf"
LISTING = DATA / "extract" / "green_factory_suzhou_2021.pdf"
ENTERPRISE = "苏州禾川精密电子有限公司"


@pytest.fixture
def server(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copytree(EXAMPLES / "suzhou-green-factory", ws / "suzhou-green-factory")
    with serving(ws) as (url, _port):
        yield url, ws


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(downloads) as driver:
        yield driver


def shot(driver, name: str) -> None:
    screenshot(driver, "web", name)


def _item_status(driver, no: int) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"#item-{no} .status").get_attribute("data-status")


def _upload(driver, no: int, file: Path, extract: bool = False) -> None:
    row = driver.find_element(By.ID, f"item-{no}")
    row.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(file))
    box = row.find_element(By.CSS_SELECTOR, "input[name=extract]")
    if box.is_selected() != extract:
        box.click()
    row.find_element(By.CSS_SELECTOR, "form.upload button").click()


def test_the_whole_job_in_a_browser(server, browser):
    url, ws = server
    d = browser
    # 工作台
    d.get(url + "/")
    assert "苏州汾澜精密压铸科技有限公司" in d.find_element(By.ID, "dossiers").text
    shot(d, "01-dashboard")

    # 新建档案
    d.find_element(By.LINK_TEXT, "新建档案").click()
    d.find_element(By.CSS_SELECTOR, "input[name=scheme][value='suzhou-green-factory']").click()
    d.find_element(By.ID, "new-name").send_keys(ENTERPRISE)
    shot(d, "02-new")
    d.find_element(By.ID, "create").click()
    wait(d).until(EC.presence_of_element_located((By.ID, "data-form")))
    folder = ws / ENTERPRISE
    assert (folder / "dossier.yaml").is_file()

    # fill fields and save
    d.find_element(By.XPATH, """//*[@name='["subject", "contact", "name"]|value']""").send_keys("陈晓")
    d.find_element(By.XPATH, """//*[@name='["subject", "contact", "phone"]|value']""").send_keys("0512-62880000")
    shot(d, "03-basic-filled")
    d.find_element(By.ID, "save").click()
    assert "已保存 2 处修改" in wait(d).until(EC.presence_of_element_located((By.ID, "saved-message"))).text
    text = (folder / "dossier.yaml").read_text(encoding="utf-8")
    assert re.search(r"  contact:.*\n    name: 陈晓 +# 姓名\n", text)
    shot(d, "04-basic-saved")

    # upload a PDF into an item: its status changes
    d.find_element(By.LINK_TEXT, "证明材料").click()
    no = next(int(e.get_attribute("data-no")) for e in d.find_elements(By.CSS_SELECTOR, "tr.item")
              if int(e.get_attribute("data-no")) > 1 and _item_status(d, int(e.get_attribute("data-no"))) == "missing")
    _upload(d, no, LISTING)
    wait(d).until(EC.presence_of_element_located((By.ID, "evidence-message")))
    assert _item_status(d, no) != "missing"
    assert LISTING.name in d.find_element(By.ID, f"item-{no}").text
    shot(d, "05-evidence-uploaded")

    # drag and drop a file onto another item (the page's own script uploads it)
    other = next(int(e.get_attribute("data-no")) for e in d.find_elements(By.CSS_SELECTOR, "tr.item")
                 if int(e.get_attribute("data-no")) > no and _item_status(d, int(e.get_attribute("data-no"))) == "missing"
                 and not e.find_element(By.CSS_SELECTOR, "td.drop").get_attribute("data-extract"))
    d.execute_script("""
        const [no, b64, name] = arguments;
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
        const row = document.getElementById("item-" + no);
        row.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        row.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    """, other, base64.b64encode(LISTING.read_bytes()).decode(), "拖入的文件.pdf")
    wait(d).until(lambda _: f"到第 {other} 项" in page_text(d))
    assert "拖入的文件.pdf" in d.find_element(By.ID, f"item-{other}").text
    assert _item_status(d, other) != "missing"

    # upload the business licence (its item proposes the values at once) and accept the credit code
    assert d.find_element(By.CSS_SELECTOR, "#item-1 input[name=extract]").is_selected()
    _upload(d, 1, LICENCE, extract=True)
    table = wait(d, 120).until(EC.presence_of_element_located((By.ID, "proposals")))
    assert "91320594MA1P8K3T2W" in table.text and f"{LICENCE.name} 第 1 页" in table.text
    shot(d, "06-proposals")
    row = d.find_element(By.CSS_SELECTOR, "tr.proposal[data-path='subject.credit_code']")
    row.find_element(By.CSS_SELECTOR, "form.accept button").click()
    assert "已填写" in wait(d, 60).until(EC.presence_of_element_located((By.ID, "accept-message"))).text
    assert 'credit_code: "91320594MA1P8K3T2W"' in (folder / "dossier.yaml").read_text(encoding="utf-8")
    shot(d, "07-accepted")

    # build the package with the progress bar, then download it
    d.get(f"{url}/d/{quote(ENTERPRISE)}/package")
    d.find_element(By.CSS_SELECTOR, "input[name=allow_incomplete]").click()
    d.find_element(By.ID, "build-button").click()
    bar = d.find_element(By.ID, "progress-bar")
    wait(d).until(lambda _: bar.value_of_css_property("width") not in ("0px",))
    shot(d, "08-building")
    d.refresh()  # a reload during the build picks the running build up again
    assert d.find_element(By.ID, "build").get_attribute("data-state") in ("running", "done")
    if d.find_element(By.ID, "build").get_attribute("data-state") == "running":
        assert not d.find_element(By.ID, "build-button").is_enabled()
        assert d.find_element(By.ID, "progress-text").text
    wait(d, 300).until(EC.presence_of_element_located((By.ID, "package-files")))
    shot(d, "09-package")
    total = int(re.search(r"目录（共 (\d+) 页）", page_text(d)).group(1))
    link = d.find_element(By.CSS_SELECTOR, "#package-files a[href$='.pdf?download=1']").get_attribute("href")
    pdf = urllib.request.urlopen(link, timeout=60).read()
    pdf_path = d.downloads / "package.pdf"
    pdf_path.write_bytes(pdf)
    assert len(PdfReader(str(pdf_path)).pages) == total > 3
    zip_link = d.find_element(By.CSS_SELECTOR, "#package-files a[href$='.zip?download=1']").get_attribute("href")
    assert urllib.request.urlopen(zip_link, timeout=60).read()[:2] == b"PK"

    # workbook download, edit, upload with a preview, apply
    d.find_element(By.LINK_TEXT, "Excel 工作簿").click()
    d.find_element(By.ID, "workbook-download").click()
    for _ in range(100):
        books = list(d.downloads.glob("*.xlsx"))
        if books:
            break
        time.sleep(0.2)
    assert books, "the workbook was not downloaded"
    book = openpyxl.load_workbook(books[0])
    sheet = book["基本信息"]
    key_row = next(c.row for c in sheet["A"] if c.value == '["subject", "industry"]')
    header = next(c.row for c in sheet["A"] if c.value and str(c.value).startswith("#block"))
    column = next(c.column for c in sheet[header] if c.value == "填写值")
    sheet.cell(key_row, column).value = "电子元件制造"
    edited = d.downloads / "edited.xlsx"
    book.save(edited)
    d.find_element(By.CSS_SELECTOR, "#workbook-upload input[type=file]").send_keys(str(edited))
    d.find_element(By.CSS_SELECTOR, "#workbook-upload button").click()
    changes = wait(d, 60).until(EC.presence_of_element_located((By.ID, "workbook-changes")))
    assert "电子元件制造" in changes.text
    assert "电子元件制造" not in (folder / "dossier.yaml").read_text(encoding="utf-8")
    shot(d, "10-workbook-preview")
    d.find_element(By.CSS_SELECTOR, "#workbook-apply button").click()
    wait(d, 60).until(EC.presence_of_element_located((By.ID, "workbook-applied")))
    assert re.search(r"\n  industry: \"?电子元件制造\"? +#", (folder / "dossier.yaml").read_text(encoding="utf-8"))
    shot(d, "11-workbook-applied")

    # the other tabs render in the browser
    for tab in ("score", "forms", "rollover"):
        d.get(f"{url}/d/suzhou-green-factory/{tab}")
        assert "出错了" not in d.title
        shot(d, f"12-{tab}")
    d.get(url + "/")
    assert ENTERPRISE in d.find_element(By.ID, "dossiers").text
    shot(d, "13-dashboard-after")
