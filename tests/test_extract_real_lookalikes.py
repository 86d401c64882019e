"""Extraction on look-alikes of the REAL documents of benchmarks/realdocs (which stay out
of git): each failure mode the real corpus showed, generated here and named after the
real document it mirrors (benchmarks/realdocs/sources.md says where that one is).

- cert_csarabia_*: an English text-PDF certificate, dates DD-MM-YYYY in a row of labels
  over a row of values, holder on the line after "This is to certify that …";
- cert_zliwen_*: a Chinese certificate: 注册号 for 证书编号, the holder on the line after
  兹证明, 认证范围 on a line of its own, "证书颁发日期: | 2014年06月11日" and "本证书有效期自
  …至…";
- list_miit_*: a MIIT list annex with no notice text (--find, --apply);
- licence_freedomxiao_*: a licence scanned turned 90° (and 180°, 270°);
- licence_qinhai_*: a "仅供存档" overprint across 成立日期 and 注册资本, the credit code
  away from its label;
- licence_tonghao_*: a branch licence (负责人, no 注册资本) as a transparent PNG: fields the
  page does not print are never output;
- cert_indimmune_*: a small photo (410 px wide) of an English certificate;
- cert_digilink_*: a scanned English certificate whose words OCR runs together;
- negative_bsi_training_*: a person's training certificate naming ISO 50001.

Text PDFs come from python-docx + LibreOffice (one run); images are drawn with PIL and
the Noto CJK fonts, and read by the real OCR engine.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import main
from dossier.dates import AmbiguousDate, parse_date, settle_order, find_dates
from dossier.evidence_files import valid_until_in
from dossier.extract import extract
from dossier.extract.codes import find_codes, repair
from dossier.loader import load_dossier

from .test_extract import make_corpus

SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- text PDFs (one LibreOffice run for all) ----------------------------------------------


def _cert_csarabia():
    b = make_corpus.Builder(font="Noto Sans CJK SC")
    b.p("CERTIFICATE OF REGISTRATION", size=22, bold=True, after=14)
    b.p("This is to certify that the Quality Management System of", size=11, after=4)
    b.p("Gulf Nitrogen Contracting Arabia Ltd.", size=16, bold=True, after=2)
    b.p("PO Box 1234, King Fahad Street, Al Khobar 31952", size=10, after=8)
    b.p("has been assessed and registered by Certification Assurance International", size=11, after=2)
    b.p("as conforming to the requirements of", size=11, after=6)
    b.p("ISO 9001:2015", size=26, bold=True, after=10)
    b.p("Certificate No:", size=10, after=0)
    b.p("KSA-Q-900555", size=10, bold=True, after=10)
    b.table([["Initial Certification:", "Current Certificate:", "Certificate Expiry:", "Re-Certification:"],
             ["04-08-2021", "04-08-2023", "03-08-2024", "03-08-2024"]], [4.2, 4.2, 4.2, 4.2], size=10)
    return b


def _cert_zliwen():
    b = make_corpus.Builder(font="Noto Serif CJK SC")
    b.p("质量管理体系认证证书", size=24, bold=True, align="center", after=10)
    b.p("注册号：05314Q29999R0S", size=11, align="right", after=8)
    b.p("兹证明", size=11, align="center", after=4)
    b.p("四川千里科技有限公司", size=16, bold=True, align="center", after=4)
    b.p("注册地址：四川省成都市高新区大源东街 49 号 1 层", size=10, align="center", after=8)
    b.p("质量管理体系符合标准", size=12, align="center", after=2)
    b.p("(GB/T19001-2016/ISO9001:2015)", size=12, align="center", after=10)
    b.p("通过认证的范围为：", size=12, align="center", after=14)
    b.p("计算机信息系统集成和教学设备的销售", size=12, align="center", after=20)
    b.table([["证书颁发日期：", "2024年06月11日"], ["初次认证日期：", "2021年06月11日"]], [5, 5], size=11)
    b.p("本证书有效期自2024年06月11日至2027年06月10日", size=10, align="center", before=8, after=20)
    b.p("北京恩格威认证中心有限公司", size=11, after=4)
    return b


def _list_rows(names):
    return [[str(i), region, name, "华夏认证中心有限公司"] for i, (region, name) in enumerate(names, start=1)]


FACTORIES = [("北京", "北京市政路桥建材集团有限公司路驰分公司"), ("天津", "天津天药药业股份有限公司"),
             ("河北", "河北敬业精密制管有限公司"), ("山西", "山西潞安太阳能科技有限责任公司"),
             ("河南", "安阳复星合力新材料股份有限公司"), ("河南", "沁阳市宏达钢铁有限公司"),
             ("河南", "河南通达电缆股份有限公司"), ("湖北", "湖北兴发化工集团股份有限公司"),
             ("广东", "SMC(广州)制造有限公司"), ("深圳", "深圳利亚德光电有限公司")]


def _list_miit_factory():
    b = make_corpus.Builder(font="Noto Serif CJK SC")
    b.p("附件1", size=12, after=6)
    b.p("2021年度绿色工厂名单", size=18, bold=True, align="center", after=10)
    b.table([["序号", "地区", "工厂名称", "第三方评价机构名称"]] + _list_rows(FACTORIES), [1.5, 2, 7, 6], grid=True, size=10)
    return b


def _list_miit_park():
    b = make_corpus.Builder(font="Noto Serif CJK SC")
    b.p("附件3", size=12, after=6)
    b.p("2021年度绿色园区名单", size=18, bold=True, align="center", after=10)
    rows = [["序号", "地区", "园区名称"], ["1", "天津", "天津子牙经济技术开发区"], ["2", "河北", "河北沧州经济开发区"],
            ["3", "河南", "沁阳市宏达钢铁有限公司"], ["4", "山西", "晋城经济技术开发区"]]
    b.table(rows, [1.5, 2, 10], grid=True, size=10)
    return b


def _ghg_statement():
    """No real GHG statement was found; this follows the published 核查声明 format: a
    category table without years (范围一/范围二/合计, thousands separators, 吨二氧化碳当量)."""
    b = make_corpus.Builder(font="Noto Serif CJK SC")
    b.p("2023年度温室气体排放核查声明", size=20, bold=True, align="center", after=10)
    b.p("受核查方名称：常州澄远精密机械有限公司", size=12, after=4)
    b.p("核查机构：江苏澄碳核查技术服务有限公司", size=12, after=10)
    b.table([["类别", "单位", "排放量"], ["范围一（直接排放）", "吨二氧化碳当量", "12,345.6"],
             ["范围二（能源间接排放）", "吨二氧化碳当量", "9,876.5"], ["合计", "吨二氧化碳当量", "22,222.1"]],
            [6, 4, 4], grid=True, size=11)
    return b


TEXT_DOCS = {"ghg_statement_lookalike": _ghg_statement, "cert_csarabia_lookalike": _cert_csarabia, "cert_zliwen_lookalike": _cert_zliwen,
             "list_miit_2021_green_factory_lookalike": _list_miit_factory,
             "list_miit_green_park_lookalike": _list_miit_park}


@pytest.fixture(scope="module")
def text_pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lookalike_pdfs")
    docx = []
    for name, build in TEXT_DOCS.items():
        path = folder / f"{name}.docx"
        build().save(path)
        docx.append(path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, docx)], check=True, capture_output=True, timeout=300)
    return {name: folder / f"{name}.pdf" for name in TEXT_DOCS}


def _fields(doc) -> dict:
    return {k: f.value for k, f in doc.fields.items()}


def test_cert_csarabia_english_layout_and_day_first_dates(text_pdfs):
    """English certificate: holder on the line after "This is to certify that", number on
    the line after its label, DD-MM-YYYY dates in columns under their labels (no day >
    12: the order is settled by issue and expiry being a year less a day apart)."""
    [doc] = extract([text_pdfs["cert_csarabia_lookalike"]])
    assert doc.doc_type == "management_certificate", doc.errors
    got = _fields(doc)
    assert got["holder"] == "Gulf Nitrogen Contracting Arabia Ltd."
    assert got["number"] == "KSA-Q-900555"
    assert got["standard"] == "ISO 9001:2015" and got["kind"] == "quality"
    assert got["issued"] == "2023-08-04"
    assert got["valid_until"] == "2024-08-03"
    assert got["body"] == "Certification Assurance International"
    # the evidence check reads 有效期至 the same way (one date reader)
    assert valid_until_in(doc.text) == dt.date(2024, 8, 3)


def test_cert_zliwen_chinese_layout(text_pdfs):
    """注册号 for 证书编号; holder after 兹证明; scope on its own line, whole; the dates of
    "证书颁发日期 | …" and "本证书有效期自…至…"."""
    [doc] = extract([text_pdfs["cert_zliwen_lookalike"]])
    assert doc.doc_type == "management_certificate", doc.errors
    got = _fields(doc)
    assert got["number"] == "05314Q29999R0S"
    assert got["holder"] == "四川千里科技有限公司"
    assert got["standard"] == "GB/T 19001-2016/ISO 9001:2015"
    assert got["scope"] == "计算机信息系统集成和教学设备的销售"
    assert got["issued"] == "2024-06-11"
    assert got["valid_until"] == "2027-06-10" and valid_until_in(doc.text) == dt.date(2027, 6, 10)
    assert got["body"] == "北京恩格威认证中心有限公司"


def test_ghg_statement_category_table(text_pdfs):
    [doc] = extract([text_pdfs["ghg_statement_lookalike"]])
    assert doc.doc_type == "ghg_verification", doc.errors
    got = _fields(doc)
    assert got["year"] == 2023
    assert got["scope1"] == {"2023": 12345.6} and got["scope2"] == {"2023": 9876.5}
    assert got["total"] == {"2023": 22222.1}


def test_list_miit_without_notice_text_find_and_apply(text_pdfs, tmp_path):
    """An annex alone (no notice): recognised by its table, parsed into rows; --find
    exact and tolerant; --apply records level, year, batch and title, the row as source."""
    pdf = text_pdfs["list_miit_2021_green_factory_lookalike"]
    [doc] = extract([pdf])
    assert doc.doc_type == "green_list", doc.errors
    assert [r.number for r in doc.rows] == list(range(1, 11))
    assert doc.rows[5].name == "沁阳市宏达钢铁有限公司" and doc.rows[8].name == "SMC(广州)制造有限公司"
    got = _fields(doc)
    assert got["year"] == 2021 and got["list_kind"] == "绿色工厂" and got["title"] == "2021年度绿色工厂名单"
    assert got["level"] == "国家级" and doc.fields["level"].confidence < 1  # inferred from the rows' regions

    result = run("extract", pdf, "--find", "沁阳市宏达钢铁有限公司", "--quiet")
    assert result.exit_code == 0 and "序号 6" in result.output and "精确匹配" in result.output
    result = run("extract", pdf, "--find", "沁阳市 宏达钢铁股份有限公司", "--quiet")
    assert result.exit_code == 0 and "序号 6" in result.output and "写法略有不同" in result.output
    result = run("extract", pdf, "--find", "SMC（广州）制造有限公司", "--quiet")
    assert result.exit_code == 0 and "序号 9" in result.output
    result = run("extract", pdf, "--find", "不在名单上的公司", "--quiet")
    assert result.exit_code == 1 and "未找到" in result.output

    directory = tmp_path / "宏达"
    assert run("init", directory, "--scheme", "zhengzhou-green-low-carbon-factory",
               "--name", "沁阳市宏达钢铁有限公司").exit_code == 0
    result = run("extract", pdf, "--apply", directory, "--quiet")
    assert result.exit_code == 0, result.output
    factory = load_dossier(directory).dossier.subject.green_factory
    assert (factory.level, factory.year, factory.batch, factory.document) == ("国家级", 2021, "2021年度", "2021年度绿色工厂名单")
    assert "序号 6" in (directory / "dossier.yaml").read_text(encoding="utf-8")


def test_list_miit_park_list_never_sets_green_factory(text_pdfs, tmp_path):
    """A 绿色园区 list naming the enterprise (say, by an error) is not a 绿色工厂 title."""
    directory = tmp_path / "宏达"
    assert run("init", directory, "--scheme", "zhengzhou-green-low-carbon-factory",
               "--name", "沁阳市宏达钢铁有限公司").exit_code == 0
    result = run("extract", text_pdfs["list_miit_green_park_lookalike"], "--apply", directory, "--quiet")
    assert result.exit_code == 0, result.output
    assert load_dossier(directory).dossier.subject.green_factory.level is None


# --- images read by OCR -------------------------------------------------------------------


def _font(path: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, size, index=2)  # 2: the SC (simplified Chinese) face


def _draw(size, items, background=(255, 255, 255), mode="RGB"):
    """items: (x, y, text, font size) in pixels."""
    from PIL import Image, ImageDraw

    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    for x, y, text, px in items:
        draw.text((x, y), text, fill=(20, 20, 20, 255) if mode == "RGBA" else (20, 20, 20), font=_font(SERIF, px))
    return image


def _licence_2019(name, code, items_right, items_left, size=(2000, 1400)):
    items = [(760, 140, "营 业 执 照", 110), (120, 330, "统一社会信用代码", 34), (120, 380, code, 32)]
    y = 560
    for (label, value) in items_left:
        items.append((120, y, label, 40))
        items.append((420, y, value, 36))
        y += 80
    y = 560
    for (label, value) in items_right:
        items.append((1100, y, label, 40))
        items.append((1360, y, value, 36))
        y += 80
    return _draw(size, items)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_licence_freedomxiao_turned(tmp_path, degrees):
    """A licence scanned turned a quarter (the real one), upside down or the other
    quarter: orientation found before OCR."""
    image = _licence_2019("漯河乐德廷建筑工程有限公司", "91411103MA9GBBYM4L",
                          [("注册资本", "叁佰万圆整"), ("成立日期", "2021年01月27日")],
                          [("名    称", "漯河乐德廷建筑工程有限公司"), ("类    型", "有限责任公司(自然人独资)"),
                           ("法定代表人", "方彦华")])
    path = tmp_path / "licence_freedomxiao_lookalike.png"
    image.rotate(degrees, expand=True).save(path)
    [doc] = extract([path])
    got = _fields(doc)
    assert doc.doc_type == "business_license", doc.text[:300]
    assert got["name"] == "漯河乐德廷建筑工程有限公司"
    assert got["credit_code"] == "91411103MA9GBBYM4L"
    assert got["founded"] == "2021-01-27" and got["registered_capital"] == "300万元人民币"


def test_licence_qinhai_overprint_across_labels(tmp_path):
    """"仅供存档" printed across 成立日期 and 注册资本: labels matched with a character lost;
    the credit code read apart from its label, by its check digit."""
    from PIL import ImageDraw

    image = _licence_2019("汕头市钦海国际货运代理有限公司", "91440507694788698B",
                          [("注册资本", "人民币伍佰万元"), ("成立日期", "2009年10月12日")],
                          [("名    称", "汕头市钦海国际货运代理有限公司"), ("类    型", "有限责任公司(自然人投资或控股)"),
                           ("法定代表人", "林意微")])
    draw = ImageDraw.Draw(image)
    # the overprint: dark brown characters (dark in every channel, so not removed as coloured ink) over 资 of 注册资本 and 立 of 成立日期
    draw.text((1178, 548), "仅", fill=(110, 60, 20), font=_font(SANS, 50))
    draw.text((1138, 628), "供", fill=(110, 60, 20), font=_font(SANS, 50))
    path = tmp_path / "licence_qinhai_lookalike.jpg"
    image.save(path, quality=85)
    [doc] = extract([path])
    got = _fields(doc)
    assert got["credit_code"] == "91440507694788698B" and doc.fields["credit_code"].confidence >= 0.9
    assert got["founded"] == "2009-10-12"
    assert got["registered_capital"] == "500万元人民币"
    assert got["legal_representative"] == "林意微"


def test_licence_tonghao_fields_not_printed_are_never_output(tmp_path):
    """A branch licence prints 负责人 and no 注册资本 (and no licence prints 单位性质):
    neither is output. Drawn on a transparent background (RGBA PNG)."""
    image = _draw((1500, 2100), [
        (480, 300, "营 业 执 照", 100), (700, 460, "(副本)", 40),
        (700, 560, "统一社会信用代码 91110106MA00C48JX1", 30),
        (180, 700, "名    称", 38), (460, 700, "通号(北京)轨道工业集团有限公司研究院", 34),
        (180, 780, "类    型", 38), (460, 780, "有限责任公司分公司(法人独资)", 34),
        (180, 860, "营业场所", 38), (460, 860, "北京市丰台区南四环西路188号", 34),
        (180, 940, "负 责 人", 38), (460, 940, "康文", 34),
        (180, 1020, "成立日期", 38), (460, 1020, "2017年02月23日", 34),
    ], background=(0, 0, 0, 0), mode="RGBA")
    path = tmp_path / "licence_tonghao_lookalike.png"
    image.save(path)
    [doc] = extract([path])
    got = _fields(doc)
    assert doc.doc_type == "business_license", doc.text[:300]
    assert got["legal_representative"] == "康文" and got["credit_code"] == "91110106MA00C48JX1"
    assert got["founded"] == "2017-02-23"
    assert "registered_capital" not in got and "ownership" not in got
    result = run("extract", path, "--json", "--quiet")
    assert "ownership" not in result.output and "registered_capital" not in result.output


def test_cert_indimmune_small_photo(tmp_path):
    """A 410-pixel-wide image of an English certificate: enlarged before OCR; TÜV's
    grouped registration number, "Valid until" and "Issue" in DD.MM.YYYY."""
    from PIL import Image

    big = _draw((1240, 1754), [
        (150, 200, "CERTIFICATE", 90),
        (150, 420, "Management system as per", 40), (150, 480, "ISO 9001 : 2015", 56),
        (150, 640, "In accordance with TUV NORD CERT procedures, it is hereby certified that", 28),
        (150, 720, "INDIAN IMMUNOLOGICALS LIMITED", 48),
        (150, 1000, "Certificate Registration No. 04 100 97391057", 30), (780, 1000, "Valid until 01.06.2019", 30),
        (780, 1050, "Initial certification 17.10.1997", 30),
        (150, 1200, "Certification Body", 30), (780, 1200, "Issue 02.06.2016", 30),
        (150, 1250, "at TUV NORD CERT GmbH", 30),
    ])
    path = tmp_path / "cert_indimmune_lookalike.jpg"
    big.resize((410, 580), Image.LANCZOS).save(path, quality=90)
    [doc] = extract([path])
    got = _fields(doc)
    assert doc.doc_type == "management_certificate", doc.text[:400]
    assert got["standard"] == "ISO 9001:2015"
    assert got["number"] == "0410097391057"
    assert got["valid_until"] == "2019-06-01" and got["issued"] == "2016-06-02"


def test_cert_digilink_english_scan_keeps_the_spaces_between_words(tmp_path):
    """A scanned English certificate (200 dpi A4): the recogniser drops the spaces
    between words of a line in capitals ("SAARAMANAGEMENTSYSTEM…"); they come back from
    the gaps on the page,
    while a certificate number and a date stay whole."""
    image = _draw((1654, 2339), [
        (420, 260, "Certificate of Registration", 64),
        (250, 520, "This is to certify that the Quality Management System of", 34),
        (330, 640, "SAARA MANAGEMENT SYSTEM PRIVATE LIMITED", 30),
        (330, 760, "3434 FAIHA 33, JUBAIL, KINGDOM OF SAUDI ARABIA", 30),
        (250, 900, "has been successfully assessed & conforms with the following standard", 30),
        (600, 1000, "ISO 9001:2015", 60),
        (250, 1300, "Certificate No. : DIG/QMS/E26/5787", 32),
        (250, 1380, "Issue Date : 20-05-2026", 32),
        (250, 1460, "Date of Expiry : 19-05-2029", 32),
    ])
    path = tmp_path / "cert_digilink_lookalike.png"
    image.save(path)
    [doc] = extract([path])
    got = _fields(doc)
    assert doc.doc_type == "management_certificate", doc.text[:400]
    assert got["holder"] == "SAARA MANAGEMENT SYSTEM PRIVATE LIMITED"
    assert got["number"] == "DIG/QMS/E26/5787"
    assert got["standard"] == "ISO 9001:2015"
    assert got["issued"] == "2026-05-20" and got["valid_until"] == "2029-05-19"


def test_negative_bsi_training_certificate_is_no_management_certificate():
    """A person's training certificate names a standard, "Management Systems" and a
    certificate number, like the real BSI one: it is not the enterprise's ISO 50001
    certificate. A real certificate of a training company (培训 in its scope) still is."""
    from dossier.extract.classify import classify
    from dossier.extract.doctypes import load_templates

    training = ("BSI Training Academy\nCertificate of achievement\nWang Xiaoming\n"
                "has successfully passed all the course assessment requirements\n"
                "CQI and IRCA Certified ISO 50001:2018 Lead Auditor Energy Management\n"
                "Systems Training Course (PR366)\nDate: 06/01/2025 - 10/01/2025\n"
                "Certificate Number: ENR-01654106")
    assert classify(training, load_templates()) is None
    company = ("质量管理体系认证证书\n注册号：05314Q29999R0S\n兹证明\n四川千里教育科技有限公司\n"
               "质量管理体系符合标准 GB/T19001-2016/ISO9001:2015\n通过认证的范围为：职业技能培训服务\n"
               "证书颁发日期：2024年06月11日")
    assert classify(company, load_templates()).id == "management_certificate"


# --- the readers under the pages --------------------------------------------------------------


def test_credit_code_single_confusion_repaired_only_when_one_repair_validates():
    assert repair("91440507694788698B")[:2] == ("91440507694788698B", 1.0)
    # 8 read as B in the body: exactly one repair validates → lower confidence, with a note
    code, confidence, note = repair("9144050769478B698B")
    assert code == "91440507694788698B" and confidence < 0.9 and note
    # O for 0 (a letter a code never holds): forced
    assert repair("9144O507694788698B")[0] == "91440507694788698B"
    # nothing validates: never output as valid
    assert repair("91440507694788698C") is None
    assert find_codes("代码 91440507694788698C") == []
    assert [c.code for c in find_codes("统一社会信用代码\n9144 0507 6947 8869 8B 其他")] == ["91440507694788698B"]
    # licence_tonghao: "9110106MA00C48JX1", a doubled 1 read once; of the two doublings
    # that pass the check digit only one names a province (11, not 10)
    [found] = find_codes("(副社会信用代码9110106MA00C48JX1")
    assert found.code == "91110106MA00C48JX1" and found.confidence < 0.9 and found.note


@pytest.mark.parametrize("text, expected", [
    ("2014年06月11日", dt.date(2014, 6, 11)), ("2014-06-11", dt.date(2014, 6, 11)),
    ("2014.6.11", dt.date(2014, 6, 11)), ("二〇一四年六月十一日", dt.date(2014, 6, 11)),
    ("3 August 2024", dt.date(2024, 8, 3)), ("August 3, 2024", dt.date(2024, 8, 3)),
    ("3rd Aug. 2024", dt.date(2024, 8, 3)), ("22-03-2019", dt.date(2019, 3, 22)),
    ("03/22/2019", dt.date(2019, 3, 22)),
])
def test_every_common_date_form(text, expected):
    assert parse_date(text) == expected


def test_day_month_ambiguity_settled_by_other_dates_or_reported():
    with pytest.raises(AmbiguousDate):
        parse_date("04/08/2023")
    assert settle_order(find_dates("Issue 04.08.2023 Initial 17.10.1997")) == "day-first"
    assert settle_order(find_dates("Issue 04/08/2023 Initial 10/17/1997")) == "month-first"
    assert settle_order(find_dates("Issued 04-08-2023 Expires 03-08-2026")) == "day-first"


def test_an_unsettled_date_is_reported_not_output(tmp_path, text_pdfs):
    """One ambiguous date and nothing to settle it: no value, a note in the errors."""
    from dossier.extract.fields import extract_fields
    from dossier.extract.layout import Line, Page, Segment
    from dossier.extract.doctypes import load_templates

    template = next(t for t in load_templates() if t.id == "management_certificate")
    page = Page(1, [Line([Segment("Quality Management System Certificate", 0, 100, 0, 10)]),
                    Line([Segment("Issue Date: 04/08/2023", 0, 100, 20, 30)])])
    notes: list[str] = []
    fields = extract_fields(template, [page], notes)
    assert "issued" not in fields
    assert any("04/08/2023" in n and "2023-08-04" in n and "2023-04-08" in n for n in notes)


def test_page_preparation_exif_rgba_margins_and_scale():
    """What the OCR engine is given: EXIF orientation applied, transparency on white,
    black scanner margins cut, small images enlarged and large ones reduced."""
    import numpy as np
    from PIL import Image

    from dossier.extract.ocr import MAX_SIDE, UPSCALE_TO, prepare

    # a phone photo stored sideways with EXIF orientation 6 (turn 90° clockwise to view)
    photo = Image.new("RGB", (4000, 3000), (255, 255, 255))
    exif = photo.getexif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif.tobytes())
    grey, scale, _ = prepare(Image.open(buffer))
    assert grey.shape[0] > grey.shape[1] and max(grey.shape) == MAX_SIDE  # upright portrait, reduced

    # a transparent PNG with black text: the background must come out white, not black
    rgba = Image.new("RGBA", (500, 300), (0, 0, 0, 0))
    rgba.paste((0, 0, 0, 255), (100, 100, 200, 130))
    grey, scale, _ = prepare(rgba)
    assert max(grey.shape) == UPSCALE_TO and scale > 1  # small: enlarged
    assert grey[5, 5] > 200 and grey.min() < 50

    # a scan with black bands around the page
    scan = np.full((1600, 1200), 255, dtype=np.uint8)
    scan[:80, :] = 0
    scan[:, :60] = 0
    grey, scale, offset = prepare(Image.fromarray(scan))
    assert offset == (60, 80) and grey.min() == 255
