"""Build the extraction test corpus: text PDFs in the layouts Chinese bodies use, and
their scans.

    .venv/bin/python tests/data/extract/make_corpus.py          # rebuild the text PDFs

Each document is written as a .docx with python-docx (fonts: Noto CJK, AR PL), then
converted by LibreOffice in one headless run, so the text PDFs carry a real text layer
with embedded CJK fonts, as the PDFs that agencies e-mail do. The expected values of
every field are written to ``expected.json`` beside them from the same data, so the
documents and the truth cannot drift apart.

Scans are NOT checked in: :func:`make_scan` renders a text PDF at a given resolution
and adds what a copier and a person with a seal add (a red stamp over the text, skew,
noise, blur, JPEG loss). It is deterministic (seeded), so the tests and the benchmark
rebuild the same scans in a temporary folder in well under a second per page.

All enterprises, people, certificate numbers and figures are fictional; the two main
enterprises match the example dossiers (常州澜衡 = examples/jiangsu-zero-carbon-factory).
"""

from __future__ import annotations

import io
import json
import math
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
KAI = "AR PL UKai CN"
MING = "AR PL UMing CN"


# --- a small python-docx builder ------------------------------------------------------


class Builder:
    def __init__(self, landscape: bool = False, font: str = SERIF, margins_cm: float = 2.0):
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        self.doc = Document()
        self.font = font
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(margins_cm))
        normal = self.doc.styles["Normal"]
        self._set_font(normal.font, normal.element, font)

    @staticmethod
    def _set_font(font_obj, element, name: str) -> None:
        from docx.oxml.ns import qn

        font_obj.name = name
        rpr = element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), name)

    def p(self, text: str = "", size: float = 12, bold: bool = False, align: str = "left",
          font: str | None = None, after: float = 4, before: float = 0, indent_cm: float = 0,
          color: tuple[int, int, int] | None = None, spacing: float | None = None):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        para = self.doc.add_paragraph()
        para.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        fmt = para.paragraph_format
        fmt.space_after, fmt.space_before = Pt(after), Pt(before)
        if indent_cm:
            fmt.left_indent = Cm(indent_cm)
        if spacing:
            fmt.line_spacing = spacing
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        if color:
            run.font.color.rgb = RGBColor(*color)
        self._set_font(run.font, run._element, font or self.font)
        return para

    def table(self, rows: list[list[str]], widths_cm: list[float], grid: bool = False, size: float = 11,
              bold_cols: tuple[int, ...] = (), font: str | None = None, align_center: bool = False):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        table = self.doc.add_table(rows=len(rows), cols=len(widths_cm))
        if grid:
            table.style = "Table Grid"
        table.autofit = False
        for r, row in enumerate(rows):
            for c, width in enumerate(widths_cm):
                cell = table.cell(r, c)
                cell.width = Cm(width)
                text = row[c] if c < len(row) else ""
                para = cell.paragraphs[0]
                if align_center:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.space_after = Pt(2)
                run = para.add_run(text)
                run.font.size = Pt(size)
                run.font.bold = c in bold_cols
                self._set_font(run.font, run._element, font or self.font)
        return table

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


# --- the documents --------------------------------------------------------------------


@dataclass
class Doc:
    name: str                      # file name without suffix
    doc_type: str                  # template id the classifier must find
    build: Callable[[], Builder]
    expected: dict[str, Any]       # field name -> normalised value
    stamp: str | None = None       # text the scan's red stamp is pressed over
    scan_pages: int = 1            # pages the benchmark scans
    notes: str = ""
    landscape: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


LANHENG = {
    "name": "常州澜衡汽车零部件有限公司",
    "credit_code": "91320412MA1XW7R58C",
    "address": "江苏省常州市武进国家高新技术产业开发区凤林南路188号",
    "legal": "周振衡",
}
HECHUAN = {
    "name": "苏州禾川精密电子有限公司",
    "credit_code": "91320594MA1P8K3T2W",
    "address": "苏州工业园区星湖街218号生物医药产业园B3栋",
    "legal": "林思远",
}


def license_changzhou() -> Builder:
    """营业执照（副本）, the 2019 layout: code top left, two label/value columns."""
    b = Builder(landscape=True, font=SERIF, margins_cm=1.6)
    b.p("营  业  执  照", size=30, bold=True, align="center", font=SERIF, after=0)
    b.p("（副   本）", size=14, align="center", after=10)
    b.table([["统一社会信用代码", "91320412MA1XW7R58C", "", "证照编号：32041200020240510A005"]],
            [4.0, 6.0, 7.0, 9.0], size=11)
    b.p("", after=6)
    b.table(
        [
            ["名        称", LANHENG["name"], "注 册 资 本", "壹亿捌仟万元整"],
            ["类        型", "有限责任公司（自然人投资或控股）", "成 立 日 期", "2016年04月18日"],
            ["法定代表人", LANHENG["legal"], "营 业 期 限", "2016年04月18日 至 长期"],
            ["经 营 范 围",
             "一般项目：汽车零部件及配件制造；有色金属压延加工；有色金属铸造；汽车零部件研发；"
             "模具制造；机械零件、零部件加工；货物进出口；技术进出口（除依法须经批准的项目外，"
             "凭营业执照依法自主开展经营活动）",
             "住        所", LANHENG["address"]],
        ],
        [3.0, 10.0, 3.0, 10.4], size=11, bold_cols=(0, 2),
    )
    b.p("", after=18)
    b.p("登 记 机 关", size=12, align="right", after=2)
    b.p("常州市武进区行政审批局", size=12, align="right", after=2)
    b.p("2024 年 05 月 10 日", size=12, align="right", after=14)
    b.p("国家企业信用信息公示系统网址：http://www.gsxt.gov.cn        国家市场监督管理总局监制", size=9, align="center")
    return b


def license_suzhou() -> Builder:
    """An older (2016) 营业执照 in portrait: one column, no colons, 注册资本 in 美元."""
    b = Builder(font=SERIF)
    b.p("营业执照", size=28, bold=True, align="center", after=2)
    b.p("（副本）", size=13, align="center", after=6)
    b.p("统一社会信用代码  91320594MA1P8K3T2W", size=12, after=2)
    b.p("副本编号：1-1", size=10, align="right", after=10)
    b.table(
        [
            ["名　　称", HECHUAN["name"]],
            ["类　　型", "有限责任公司（台港澳法人独资）"],
            ["住　　所", HECHUAN["address"]],
            ["法定代表人", HECHUAN["legal"]],
            ["注册资本", "2500万美元"],
            ["成立日期", "2017年03月06日"],
            ["营业期限", "2017年03月06日至2067年03月05日"],
            ["经营范围", "研发、生产精密连接器、线束组件及电子元器件，销售本公司所生产的产品，并提供相关技术服务。"
                         "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"],
        ],
        [3.5, 12.5], size=12,
    )
    b.p("", after=30)
    b.p("登记机关　苏州工业园区市场监督管理局", size=12, align="right", after=2)
    b.p("2023年08月22日", size=12, align="right", after=20)
    b.p("企业信用信息公示系统网址：http://www.gsxt.gov.cn", size=9, align="center")
    b.p("中华人民共和国国家工商行政管理总局监制", size=9, align="center")
    return b


def cert_quality_suzhou() -> Builder:
    """A bilingual, centred QMS certificate of a national body."""
    b = Builder(font=SERIF)
    b.p("华信质量认证中心有限公司", size=16, bold=True, align="center", after=0)
    b.p("HUAXIN QUALITY CERTIFICATION CENTRE CO., LTD.", size=10, align="center", after=14)
    b.p("质量管理体系认证证书", size=24, bold=True, align="center", font=KAI, after=0)
    b.p("CERTIFICATE OF QUALITY MANAGEMENT SYSTEM", size=11, align="center", after=14)
    b.p("证书编号：00124Q31562R1M", size=12, align="center", after=0)
    b.p("Certificate No.: 00124Q31562R1M", size=10, align="center", after=12)
    b.p("兹证明", size=13, align="center", after=0)
    b.p("This is to certify that", size=10, align="center", after=6)
    b.p(HECHUAN["name"], size=16, bold=True, align="center", after=0)
    b.p("Suzhou Hechuan Precision Electronics Co., Ltd.", size=10, align="center", after=8)
    b.p(f"统一社会信用代码：{HECHUAN['credit_code']}", size=11, align="center", after=2)
    b.p(f"注册地址：{HECHUAN['address']}", size=11, align="center", after=2)
    b.p(f"经营地址：{HECHUAN['address']}", size=11, align="center", after=10)
    b.p("建立的质量管理体系符合标准：GB/T 19001-2016/ISO 9001:2015", size=12, align="center", after=0)
    b.p("has established a quality management system in accordance with GB/T 19001-2016/ISO 9001:2015",
        size=9, align="center", after=10)
    b.p("认证范围：精密连接器和线束组件的设计、生产和服务", size=12, align="center", after=0)
    b.p("Scope: Design, production and service of precision connectors and wire harness assemblies",
        size=9, align="center", after=18)
    b.table([["颁证日期：2024年07月15日", "有效期至：2027年07月14日"],
             ["Date of Issue: 2024-07-15", "Valid until: 2027-07-14"]], [8.5, 8.5], size=11)
    b.p("", after=24)
    b.p("本证书信息可在国家市场监督管理总局网站（www.samr.gov.cn）查询", size=9, align="center", after=2)
    b.p("华信质量认证中心有限公司", size=12, align="right", after=0)
    b.p("地址：北京市丰台区南四环西路 88 号", size=9, align="right")
    return b


def cert_environment_changzhou() -> Builder:
    """A Jiangsu body's EMS certificate laid out as a ruled table, dates as 2024.06.12."""
    b = Builder(font=SANS)
    b.p("江苏澄标认证有限公司", size=14, bold=True, align="center", after=10)
    b.p("环境管理体系认证证书", size=22, bold=True, align="center", after=14)
    b.table(
        [
            ["证书编号", "08224E30158R2M"],
            ["组织名称", LANHENG["name"]],
            ["统一社会信用代码", LANHENG["credit_code"]],
            ["注册/经营地址", LANHENG["address"]],
            ["认证依据", "GB/T 24001-2016/ISO 14001:2015"],
            ["认证范围", "新能源汽车铝合金精密压铸件的生产及相关环境管理活动"],
            ["初次发证日期", "2018.06.12"],
            ["本次发证日期", "2024.06.12"],
            ["有效期至", "2027.06.11"],
        ],
        [4.2, 12.8], grid=True, size=11,
    )
    b.p("", after=10)
    b.p("获证组织必须定期接受监督审核并经审核合格此证书方继续有效。", size=9, after=2)
    b.p("本证书信息可在国家认证认可监督管理委员会官方网站（www.cnca.gov.cn）上查询。", size=9, after=28)
    b.p("认证机构：江苏澄标认证有限公司", size=12, align="right", after=2)
    b.p("总经理：张立诚", size=12, align="right", after=2)
    b.p("地址：南京市建邺区江东中路 301 号", size=9, align="right")
    return b


def cert_ohs_suzhou() -> Builder:
    """An OHSAS-era certificate (GB/T 28001) with the validity written as a range."""
    b = Builder(font=MING)
    b.p("职业健康安全管理体系认证证书", size=22, bold=True, align="center", after=4)
    b.p("Occupational Health and Safety Management System Certificate", size=10, align="center", after=16)
    b.p("注册号：15/18S0231R10", size=12, after=12)
    b.p(f"兹证明 {HECHUAN['name']}", size=13, after=4)
    b.p(f"地址：{HECHUAN['address']}", size=12, after=4)
    b.p("职业健康安全管理体系符合 GB/T 28001-2011/OHSAS 18001:2007 标准", size=12, after=4)
    b.p("覆盖范围：精密连接器、线束组件的生产及相关职业健康安全管理活动", size=12, after=4)
    b.p("证书有效期：2018年09月03日至2021年03月11日", size=12, after=4)
    b.p("发证日期：2018年09月03日", size=12, after=30)
    b.p("认证机构：苏州恒正检验认证有限公司", size=12, after=2)
    b.p("（认证机构批准号：CNCA-R-2003-147）", size=10, after=2)
    return b


def cert_energy_changzhou() -> Builder:
    """An EnMS certificate: labels with colons, ISO dates, the body in the header."""
    b = Builder(font=SERIF)
    b.p("中衡能源管理认证中心有限公司", size=15, bold=True, align="center", after=2)
    b.p("ZHONGHENG ENERGY MANAGEMENT CERTIFICATION CENTER", size=9, align="center", after=16)
    b.p("能源管理体系认证证书", size=24, bold=True, align="center", font=KAI, after=18)
    b.p("证书编号：ZH-EnMS-2024-0925", size=12, after=6)
    b.p(f"获证组织：{LANHENG['name']}", size=12, after=6)
    b.p(f"组织地址：{LANHENG['address']}", size=12, after=6)
    b.p("认证标准：GB/T 23331-2020/ISO 50001:2018", size=12, after=6)
    b.p("认证范围：新能源汽车铝合金精密压铸件的生产及相关能源管理活动", size=12, after=6)
    b.p("发证日期：2024-01-29", size=12, after=6)
    b.p("有效期至：2027-01-28", size=12, after=30)
    b.p("获证组织应接受认证机构的监督审核，证书有效性以认证机构网站查询结果为准。", size=9, after=20)
    b.p("中衡能源管理认证中心有限公司（盖章）", size=12, align="right", after=2)
    return b


def _list_rows(rows: list[tuple[str, str]], start: int = 1) -> list[list[str]]:
    return [[str(start + i), region, name] for i, (region, name) in enumerate(rows)]


def green_factory_jiangsu() -> Builder:
    """A provincial notice: 文号, Chinese-numeral date, the list as annex on page 2."""
    b = Builder(font=SERIF)
    b.p("江苏省工业和信息化厅文件", size=26, bold=True, align="center", color=(200, 0, 0), after=10)
    b.p("苏工信节能〔2023〕598号", size=12, align="center", after=16)
    b.p("省工业和信息化厅关于公布2023年度江苏省绿色工厂名单的通知", size=17, bold=True, align="center", after=14)
    b.p("各设区市工业和信息化局：", size=13, after=6)
    b.p("根据《江苏省绿色工厂评价管理办法》，经企业自愿申报、设区市推荐、第三方评价和专家评审，"
        "并经网上公示，确定常州澜衡汽车零部件有限公司等 165 家企业为2023年度江苏省绿色工厂，现予以公布。",
        size=13, after=6, indent_cm=0)
    b.p("请各地加强对绿色工厂的动态管理，指导企业持续提升绿色制造水平，发挥示范引领作用。", size=13, after=20)
    b.p("附件：2023年度江苏省绿色工厂名单", size=13, after=30)
    b.p("江苏省工业和信息化厅", size=13, align="right", after=4)
    b.p("二〇二三年十二月十五日", size=13, align="right", after=4)
    b.page_break()
    b.p("附件", size=13, bold=True, after=6)
    b.p("2023年度江苏省绿色工厂名单", size=16, bold=True, align="center", after=10)
    rows = [("南京市", "南京汇川新材料科技有限公司"), ("无锡市", "无锡澄江精工机械有限公司"),
            ("常州市", "常州澜衡汽车零部件有限公司"), ("常州市", "常州天晟新能源材料有限公司"),
            ("苏州市", "苏州鑫达纺织印染有限公司"), ("南通市", "南通海港重工股份有限公司")]
    b.table([["序号", "设区市", "企业名称"]] + _list_rows(rows), [2.0, 3.5, 11.5], grid=True, size=11, align_center=True)
    return b


def green_factory_miit() -> Builder:
    """The national list: MIIT general office notice, list table with 省份 column."""
    b = Builder(font=SERIF)
    b.p("工业和信息化部办公厅", size=24, bold=True, align="center", color=(200, 0, 0), after=10)
    b.p("工信厅节函〔2023〕8号", size=12, align="right", after=14)
    b.p("工业和信息化部办公厅关于公布2022年度绿色制造名单的通知", size=17, bold=True, align="center", after=14)
    b.p("各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门：", size=13, after=6)
    b.p("按照《工业和信息化部办公厅关于开展2022年度绿色制造名单推荐工作的通知》要求，"
        "经地方工业和信息化主管部门推荐、专家论证、网上公示等程序，确定了2022年度绿色工厂、"
        "绿色设计产品、绿色工业园区、绿色供应链管理企业名单，现予以公布。", size=13, after=20)
    b.p("附件：1. 2022年度绿色工厂名单", size=13, after=30)
    b.p("工业和信息化部办公厅", size=13, align="right", after=4)
    b.p("2023年1月10日", size=13, align="right", after=4)
    b.page_break()
    b.p("附件1", size=13, bold=True, after=6)
    b.p("2022年度绿色工厂名单", size=16, bold=True, align="center", after=10)
    rows = [("北京市", "北京京能热电股份有限公司"), ("河北省", "河北冀衡钢铁集团有限公司"),
            ("江苏省", "苏州禾川精密电子有限公司"), ("江苏省", "江苏恒远化纤有限公司"),
            ("浙江省", "浙江湖光纺织科技有限公司"), ("河南省", "郑州宇辰电气有限公司")]
    b.table([["序号", "省份", "企业名称"]] + _list_rows(rows), [2.0, 3.5, 11.5], grid=True, size=11, align_center=True)
    return b


def green_factory_suzhou_city() -> Builder:
    """A municipal list with a batch number (第二批), short enough for one page."""
    b = Builder(font=SANS)
    b.p("苏州市工业和信息化局", size=20, bold=True, align="center", after=8)
    b.p("苏工信节能〔2021〕125号", size=12, align="center", after=12)
    b.p("关于公布2021年度苏州市绿色工厂（第二批）名单的通知", size=16, bold=True, align="center", after=12)
    b.p("各县级市（区）工信（经发）局：", size=12, after=6)
    b.p("经企业申报、地方推荐、专家评审和网上公示，现将2021年度苏州市绿色工厂（第二批）名单予以公布。", size=12, after=10)
    rows = [("工业园区", HECHUAN["name"]), ("吴中区", "苏州吴越精密模具有限公司"), ("昆山市", "昆山德茂电子材料有限公司")]
    b.table([["序号", "地区", "企业名称"]] + _list_rows(rows), [2.0, 3.5, 11.5], grid=True, size=11, align_center=True)
    b.p("", after=20)
    b.p("苏州市工业和信息化局", size=12, align="right", after=2)
    b.p("2021年11月26日", size=12, align="right")
    return b


def ghg_report_changzhou() -> Builder:
    """A provincial-style verification report: cover, then the conclusion with a table."""
    b = Builder(font=SERIF)
    b.p("", after=60)
    b.p(f"{LANHENG['name']}", size=20, bold=True, align="center", after=6)
    b.p("2024年度温室气体排放核查报告", size=22, bold=True, align="center", after=80)
    b.table([["报告编号：", "JSCT-HC-2025-0117"],
             ["受核查方：", LANHENG["name"]],
             ["核查机构：", "江苏澄碳核查技术服务有限公司"],
             ["报告日期：", "2025年4月15日"]], [4.0, 10.0], size=14)
    b.page_break()
    b.p("核查结论", size=16, bold=True, align="center", after=10)
    b.p(f"江苏澄碳核查技术服务有限公司受{LANHENG['name']}委托，依据 GB/T 32150-2015《工业企业温室气体排放核算和报告通则》"
        "及 ISO 14064-3:2019，对其2024年度温室气体排放报告进行了核查。经文件评审和现场核查，核查组确认：",
        size=12, after=6)
    b.p("1. 受核查方2024年度温室气体排放量如下表所示（单位：tCO2e）：", size=12, after=6)
    b.table([["年度", "类别1 直接排放", "类别2 能源间接排放", "合计（类别1+类别2）"],
             ["2024", "2,016.7", "14,782.5", "16,799.2"]], [2.5, 4.5, 5.0, 5.0], grid=True, size=11, align_center=True)
    b.p("", after=6)
    b.p("2. 排放报告的核算边界、排放源识别、活动数据和排放因子的选取符合核算标准的要求，数据真实、准确。", size=12, after=20)
    b.p("核查组长：王一鸣        技术复核人：陈静", size=12, after=8)
    b.p("江苏澄碳核查技术服务有限公司", size=12, align="right", after=2)
    b.p("2025年4月15日", size=12, align="right")
    _ghg_report_body(b)
    return b


def _ghg_report_body(b: Builder) -> None:
    """The rest of a real report (about ten pages): process, boundary, monthly activity
    data and factors. Many numbers that are not the result, as in the real thing."""
    rng = random.Random(2024)
    sections = [
        ("1 概述", ["1.1 核查目的", "1.2 核查范围", "1.3 核查准则"]),
        ("2 核查过程和方法", ["2.1 核查组安排", "2.2 文件评审", "2.3 现场核查", "2.4 核查报告编写及内部技术复核"]),
        ("3 核查发现", ["3.1 受核查方基本情况", "3.2 核算边界", "3.3 排放源识别", "3.4 活动数据及来源", "3.5 排放因子"]),
    ]
    filler = ("核查组查阅了受核查方提供的能源统计台账、计量器具检定证书、采购发票及结算单等证据，"
              "并与现场抄表记录、财务账目进行交叉核对，确认数据来源可靠、记录完整，核算方法符合核算指南的要求。")
    for title, subs in sections:
        b.page_break()
        b.p(title, size=15, bold=True, after=8)
        for sub in subs:
            b.p(sub, size=13, bold=True, after=4)
            for _ in range(3):
                b.p(filler, size=12, after=4, spacing=1.3)
    for fuel, unit, total in (("天然气", "万m³", 92.0), ("柴油", "t", 9.5), ("外购电力", "MWh", 27860.0)):
        b.page_break()
        b.p(f"表 3-{fuel} 2024年{fuel}消耗量（{unit}）", size=13, bold=True, align="center", after=6)
        months = [round(total / 12 * rng.uniform(0.85, 1.15), 2) for _ in range(11)]
        months.append(round(total - sum(months), 2))
        rows = [["月份", f"消耗量（{unit}）", "数据来源"]]
        rows += [[f"{m}月", f"{v:,.2f}", "能源统计台账、结算单"] for m, v in enumerate(months, start=1)]
        rows.append(["合计", f"{total:,.2f}", ""])
        b.table(rows, [3.0, 5.0, 8.0], grid=True, size=11)
        b.p("", after=6)
        for _ in range(4):
            b.p(filler, size=12, after=4, spacing=1.3)


def ghg_statement_suzhou() -> Builder:
    """A one-page 核查声明 covering two years, figures in 吨二氧化碳当量 in a table."""
    b = Builder(font=SANS)
    b.p("温室气体排放核查声明", size=20, bold=True, align="center", after=12)
    b.p("声明编号：SZHB-GHG-2025-0093", size=11, align="right", after=8)
    b.p(f"受核查方名称：{HECHUAN['name']}", size=12, after=4)
    b.p(f"受核查方地址：{HECHUAN['address']}", size=12, after=4)
    b.p("核查准则：ISO 14064-1:2018、ISO 14064-3:2019", size=12, after=4)
    b.p("核查范围：受核查方苏州工业园区厂区 2023年度、2024年度 组织层面温室气体排放（类别1、类别2）", size=12, after=8)
    b.p("核查结论：经核查，受核查方2023年度、2024年度温室气体排放量如下（单位：吨二氧化碳当量）：", size=12, after=6)
    b.table([["核查年度", "类别1（直接排放）", "类别2（能源间接排放）", "排放总量"],
             ["2023年", "1,284.6", "9,872.3", "11,156.9"],
             ["2024年", "1,190.2", "9,415.8", "10,606.0"]], [3.0, 4.5, 5.0, 4.5], grid=True, size=11, align_center=True)
    b.p("", after=8)
    b.p("核查组认为，受核查方的温室气体排放报告符合所依据准则的要求，达到合理保证等级。", size=12, after=30)
    b.p("核查机构：苏州环博低碳技术服务有限公司", size=12, align="right", after=2)
    b.p("签发日期：2025年3月28日", size=12, align="right")
    return b


def pcf_certificate_changzhou() -> Builder:
    """A product carbon footprint certificate (example dossier's LJ-CFP-2026-0188)."""
    b = Builder(font=SERIF)
    b.p("南京绿迹认证有限公司", size=14, bold=True, align="center", after=14)
    b.p("产品碳足迹证书", size=26, bold=True, align="center", font=KAI, after=0)
    b.p("PRODUCT CARBON FOOTPRINT CERTIFICATE", size=11, align="center", after=16)
    b.p("证书编号：LJ-CFP-2026-0188", size=12, align="center", after=14)
    b.p(f"兹证明 {LANHENG['name']} 生产的", size=13, align="center", after=4)
    b.p("新能源汽车驱动电机壳体（ZD-M220型）", size=15, bold=True, align="center", after=10)
    b.table([["功能单位", "1件"],
             ["系统边界", "从摇篮到大门"],
             ["评价依据", "ISO 14067:2018、GB/T 24067-2024"],
             ["产品碳足迹", "46.8 kgCO2e/件"],
             ["数据年份", "2025年"]], [5.0, 10.0], grid=True, size=12)
    b.p("", after=12)
    b.table([["发证日期：2026年5月26日", "有效期至：2029年5月25日"]], [8.5, 8.5], size=12)
    b.p("", after=24)
    b.p("南京绿迹认证有限公司", size=12, align="right")
    return b


def pcf_report_suzhou() -> Builder:
    """A carbon footprint report: result in gCO2e (converted to kg), per 1 个."""
    b = Builder(font=SANS)
    b.p("产品碳足迹评价报告", size=22, bold=True, align="center", after=20)
    b.table([["产品名称", "Type-C 精密连接器（HC-TC24）"],
             ["委托单位", HECHUAN["name"]],
             ["报告编号", "CSTC-PCF-2025-1206"],
             ["评价标准", "GB/T 24067-2024 / ISO 14067:2018"],
             ["声明单位", "1个"],
             ["评价机构", "上海中碳标准技术服务有限公司"],
             ["报告日期", "2025-12-06"]], [4.0, 12.0], grid=True, size=12)
    b.p("", after=14)
    b.p("评价结论", size=14, bold=True, after=6)
    b.p("经评价，1个 Type-C 精密连接器（HC-TC24）从摇篮到大门的产品碳足迹为 812 gCO2e，"
        "其中原材料获取阶段占 71.4%，生产阶段占 25.9%。", size=12, after=6)
    b.p("本报告有效期至2028年12月05日。", size=12, after=6)
    return b


def energy_audit_changzhou() -> Builder:
    """A 能源审计报告 summary page: tce on both bases, per-unit consumption."""
    b = Builder(font=SERIF)
    b.p(f"{LANHENG['name']}", size=18, bold=True, align="center", after=4)
    b.p("2024年度能源审计报告", size=22, bold=True, align="center", after=16)
    b.p("审计机构：常州市能效技术服务中心有限公司        报告日期：2025年3月20日", size=11, align="center", after=16)
    b.p("一、审计结论摘要", size=14, bold=True, after=6)
    b.p("审计期内（2024年1月1日至2024年12月31日），企业能源消费情况如下：", size=12, after=6)
    b.table([["指标", "2024年", "单位"],
             ["综合能源消费量（当量值）", "6,029.8", "tce"],
             ["综合能源消费量（等价值）", "12,026.4", "tce"],
             ["单位产品综合能耗", "51.6", "kgce/件"],
             ["万元产值综合能耗", "0.0859", "tce/万元"]], [7.0, 4.0, 4.0], grid=True, size=11)
    b.p("", after=6)
    b.p("企业单位产品综合能耗优于 GB 29995 规定的先进值，节能潜力主要在压铸熔炼和空压系统。", size=12)
    return b


def energy_benchmark_suzhou() -> Builder:
    """A 能效对标报告 with 综合能耗 in 万吨标准煤 written in prose."""
    b = Builder(font=SANS)
    b.p("能效对标报告", size=22, bold=True, align="center", after=4)
    b.p("（2023年度）", size=14, align="center", after=14)
    b.p(f"企业名称：{HECHUAN['name']}", size=12, after=4)
    b.p("编制单位：江苏节能评估咨询有限公司", size=12, after=4)
    b.p("编制日期：2024年5月8日", size=12, after=12)
    b.p("1 对标结果", size=14, bold=True, after=6)
    b.p("2023年企业综合能耗为0.3528万吨标准煤（当量值），等价值0.8917万吨标准煤。"
        "主要产品单位产品综合能耗为0.62 kgce/个，达到行业先进水平。", size=12, after=6)
    return b


DOCS: list[Doc] = [
    Doc("license_changzhou", "business_license", license_changzhou, {
        "name": LANHENG["name"], "credit_code": LANHENG["credit_code"], "legal_representative": LANHENG["legal"],
        "address": LANHENG["address"], "founded": "2016-04-18", "registered_capital": "18000万元人民币",
        "company_type": "有限责任公司（自然人投资或控股）",
    }, stamp="常州市武进区行政审批局", landscape=True,
        notes="营业执照副本，2019 年版式（横版，统一社会信用代码在左上，两栏“标签 值”，注册资本用大写金额）"),
    Doc("license_suzhou", "business_license", license_suzhou, {
        "name": HECHUAN["name"], "credit_code": HECHUAN["credit_code"], "legal_representative": HECHUAN["legal"],
        "address": HECHUAN["address"], "founded": "2017-03-06", "registered_capital": "2500万美元",
        "company_type": "有限责任公司（台港澳法人独资）",
    }, stamp="苏州工业园区市场监督管理局", notes="营业执照副本，2016 年版式（竖版单栏，全角空格隔开的标签，美元注册资本）"),
    Doc("cert_quality_suzhou", "management_certificate", cert_quality_suzhou, {
        "kind": "quality", "standard": "GB/T 19001-2016/ISO 9001:2015", "number": "00124Q31562R1M",
        "holder": HECHUAN["name"], "address": HECHUAN["address"],
        "scope": "精密连接器和线束组件的设计、生产和服务", "issued": "2024-07-15", "valid_until": "2027-07-14",
        "body": "华信质量认证中心有限公司",
    }, stamp="有效期至", notes="中英双语居中版式的质量管理体系证书（全国性认证机构）"),
    Doc("cert_environment_changzhou", "management_certificate", cert_environment_changzhou, {
        "kind": "environment", "standard": "GB/T 24001-2016/ISO 14001:2015", "number": "08224E30158R2M",
        "holder": LANHENG["name"], "address": LANHENG["address"],
        "scope": "新能源汽车铝合金精密压铸件的生产及相关环境管理活动", "issued": "2024-06-12",
        "valid_until": "2027-06-11", "body": "江苏澄标认证有限公司",
    }, stamp="认证机构", notes="表格版式的环境管理体系证书（省内认证机构，日期写作 2024.06.12，含初次发证日期）"),
    Doc("cert_ohs_suzhou", "management_certificate", cert_ohs_suzhou, {
        "kind": "ohs", "standard": "GB/T 28001-2011/OHSAS 18001:2007", "number": "15/18S0231R10",
        "holder": HECHUAN["name"], "address": HECHUAN["address"],
        "scope": "精密连接器、线束组件的生产及相关职业健康安全管理活动", "issued": "2018-09-03",
        "valid_until": "2021-03-11", "body": "苏州恒正检验认证有限公司",
    }, stamp="认证机构", notes="旧标准 GB/T 28001/OHSAS 18001 的职业健康安全证书，有效期写作“起至”区间"),
    Doc("cert_energy_changzhou", "management_certificate", cert_energy_changzhou, {
        "kind": "energy", "standard": "GB/T 23331-2020/ISO 50001:2018", "number": "ZH-EnMS-2024-0925",
        "holder": LANHENG["name"], "address": LANHENG["address"],
        "scope": "新能源汽车铝合金精密压铸件的生产及相关能源管理活动", "issued": "2024-01-29",
        "valid_until": "2027-01-28", "body": "中衡能源管理认证中心有限公司",
    }, stamp="盖章", notes="能源管理体系证书（带冒号的标签，ISO 日期，机构名在页眉）"),
    Doc("green_factory_jiangsu_2023", "green_factory", green_factory_jiangsu, {
        "level": "省级", "year": 2023, "batch": "2023年度", "issuer": "江苏省工业和信息化厅",
        "title": "省工业和信息化厅关于公布2023年度江苏省绿色工厂名单的通知", "doc_number": "苏工信节能〔2023〕598号",
        "date": "2023-12-15",
    }, stamp="二〇二三年十二月十五日", scan_pages=2,
        notes="省级发文（红头、文号、中文数字落款日期），附件名单在第 2 页"),
    Doc("green_factory_miit_2022", "green_factory", green_factory_miit, {
        "level": "国家级", "year": 2022, "batch": "2022年度", "issuer": "工业和信息化部办公厅",
        "title": "工业和信息化部办公厅关于公布2022年度绿色制造名单的通知", "doc_number": "工信厅节函〔2023〕8号",
        "date": "2023-01-10",
    }, stamp="2023年1月10日", scan_pages=2, notes="国家级绿色制造名单通知（工信部办公厅），名单按省份排列"),
    Doc("green_factory_suzhou_2021", "green_factory", green_factory_suzhou_city, {
        "level": "市级", "year": 2021, "batch": "第二批", "issuer": "苏州市工业和信息化局",
        "title": "关于公布2021年度苏州市绿色工厂（第二批）名单的通知", "doc_number": "苏工信节能〔2021〕125号",
        "date": "2021-11-26",
    }, stamp="2021年11月26日", notes="市级名单（第二批），一页"),
    Doc("ghg_report_changzhou_2024", "ghg_verification", ghg_report_changzhou, {
        "enterprise": LANHENG["name"], "year": 2024, "scope1": {"2024": 2016.7}, "scope2": {"2024": 14782.5},
        "total": {"2024": 16799.2}, "standard": "GB/T 32150-2015", "verifier": "江苏澄碳核查技术服务有限公司",
        "number": "JSCT-HC-2025-0117", "report_date": "2025-04-15",
    }, stamp="2025年4月15日", scan_pages=2, notes="核查报告：封面 + 核查结论页（年度 × 类别表，千位分隔符）"),
    Doc("ghg_statement_suzhou", "ghg_verification", ghg_statement_suzhou, {
        "enterprise": HECHUAN["name"], "year": 2024, "scope1": {"2023": 1284.6, "2024": 1190.2},
        "scope2": {"2023": 9872.3, "2024": 9415.8}, "total": {"2023": 11156.9, "2024": 10606.0},
        "standard": "ISO 14064-1:2018/ISO 14064-3:2019", "verifier": "苏州环博低碳技术服务有限公司",
        "number": "SZHB-GHG-2025-0093", "report_date": "2025-03-28",
    }, stamp="核查机构", notes="核查声明：两个年度，单位“吨二氧化碳当量”"),
    Doc("pcf_certificate_changzhou", "product_carbon_footprint", pcf_certificate_changzhou, {
        "enterprise": LANHENG["name"], "product": "新能源汽车驱动电机壳体（ZD-M220型）", "functional_unit": "1件",
        "result": 46.8, "standard": "ISO 14067:2018/GB/T 24067-2024", "number": "LJ-CFP-2026-0188",
        "body": "南京绿迹认证有限公司", "issued": "2026-05-26", "valid_until": "2029-05-25",
    }, stamp="有效期至", notes="产品碳足迹证书（与 examples/jiangsu-zero-carbon-factory 一致）"),
    Doc("pcf_report_suzhou", "product_carbon_footprint", pcf_report_suzhou, {
        "enterprise": HECHUAN["name"], "product": "Type-C 精密连接器（HC-TC24）", "functional_unit": "1个",
        "result": 0.812, "standard": "GB/T 24067-2024/ISO 14067:2018", "number": "CSTC-PCF-2025-1206",
        "body": "上海中碳标准技术服务有限公司", "issued": "2025-12-06", "valid_until": "2028-12-05",
    }, stamp="评价机构", notes="产品碳足迹评价报告（结果以 gCO2e 表示，换算为 kgCO2e）"),
    Doc("energy_audit_changzhou_2024", "energy_audit", energy_audit_changzhou, {
        "enterprise": LANHENG["name"], "year": 2024, "energy_total_tce": {"2024": 6029.8},
        "energy_total_equivalent_tce": {"2024": 12026.4}, "unit_product_consumption": "51.6 kgce/件",
        "auditor": "常州市能效技术服务中心有限公司", "report_date": "2025-03-20",
    }, stamp="报告日期", notes="能源审计报告摘要页（当量值/等价值表格）"),
    Doc("energy_benchmark_suzhou_2023", "energy_audit", energy_benchmark_suzhou, {
        "enterprise": HECHUAN["name"], "year": 2023, "energy_total_tce": {"2023": 3528.0},
        "energy_total_equivalent_tce": {"2023": 8917.0}, "unit_product_consumption": "0.62 kgce/个",
        "auditor": "江苏节能评估咨询有限公司", "report_date": "2024-05-08",
    }, stamp="编制单位", notes="能效对标报告（综合能耗以“万吨标准煤”写在正文中）"),
]


# --- text PDFs ------------------------------------------------------------------------


def soffice_convert(docx_files: list[Path], out_dir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("需要 LibreOffice（soffice）来生成 PDF")
    subprocess.run(
        [soffice, "-env:UserInstallation=file:///tmp/lo_extract", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), *map(str, docx_files)],
        check=True, capture_output=True, timeout=600,
    )


def build_text_pdfs(out_dir: Path = HERE) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        files = []
        for doc in DOCS:
            path = tmpdir / f"{doc.name}.docx"
            doc.build().save(path)
            files.append(path)
        soffice_convert(files, tmpdir)
        for doc in DOCS:
            shutil.copyfile(tmpdir / f"{doc.name}.pdf", out_dir / f"{doc.name}.pdf")
    make_garbled(out_dir / "license_suzhou.pdf", out_dir / "garbled_license_suzhou.pdf")
    expected = {
        f"{doc.name}.pdf": {"doc_type": doc.doc_type, "fields": doc.expected, "stamp": doc.stamp,
                            "scan_pages": doc.scan_pages, "notes": doc.notes}
        for doc in DOCS
    }
    garbled = dict(expected["license_suzhou.pdf"])
    garbled["notes"] = "license_suzhou.pdf 去掉字体的 ToUnicode 映射：pdfplumber 只读到 (cid:…)，需改用 pypdfium2 或 OCR"
    expected["garbled_license_suzhou.pdf"] = garbled
    (out_dir / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_garbled(source: Path, target: Path) -> None:
    """Drop every font's /ToUnicode map: text extractors then see only glyph ids."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if NameObject("/ToUnicode") in font:
                del font[NameObject("/ToUnicode")]
    with open(target, "wb") as handle:
        writer.write(handle)


# --- scans ----------------------------------------------------------------------------


def stamp_image(size: int, text: str = "专用章"):
    """A round red seal: ring, star, and a word across it, drawn at ``size`` pixels."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    red = (220, 30, 40, 200)
    width = max(3, size // 28)
    draw.ellipse([width, width, size - width, size - width], outline=red, width=width)
    cx = cy = size / 2
    r_out, r_in = size * 0.16, size * 0.065
    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy - size * 0.06 + r * math.sin(a)))
    draw.polygon(points, fill=red)
    try:
        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", size // 9)
    except OSError:
        font = ImageFont.load_default()
    draw.text((cx, cy + size * 0.22), text, fill=red, font=font, anchor="mm")
    return img


def _anchor(pdf: Path, page_index: int, text: str, dpi: int) -> tuple[float, float] | None:
    """Pixel centre of ``text`` on the page (via pdfplumber), to press the stamp on it."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        if page_index >= len(doc.pages):
            return None
        page = doc.pages[page_index]
        hits = page.search(text) if text else []
        if not hits:
            return None
        hit = hits[-1]
        scale = dpi / 72
        return ((hit["x0"] + hit["x1"]) / 2 * scale, (hit["top"] + hit["bottom"]) / 2 * scale)


def make_scan(pdf: Path, out: Path, *, dpi: int = 200, seed: int = 0, pages: int | None = None,
              stamp_text: str | None = None, angle: float | None = None, noise: float = 9.0,
              quality: int = 70) -> Path:
    """Render ``pdf`` like a copier would and save an image-only PDF (or .jpg/.png).

    The stamp is pressed over ``stamp_text`` (on the last scanned page that has it);
    the skew is ``angle`` degrees (default: random within ±1.5°); Gaussian noise of
    ``noise`` grey levels; a slight blur; JPEG at ``quality``.
    """
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(pdf))
    count = len(doc) if pages is None else min(pages, len(doc))
    images = []
    for index in range(count):
        page = doc[index]
        img = page.render(scale=dpi / 72).to_pil().convert("RGB")
        page.close()
        anchor = _anchor(pdf, index, stamp_text, dpi) if stamp_text else None
        if anchor:
            size = int(dpi * 1.55)  # a 40 mm seal
            seal = stamp_image(size).rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
            x = int(anchor[0] - size / 2 + rng.uniform(-0.1, 0.1) * size)
            y = int(anchor[1] - size / 2 + rng.uniform(-0.1, 0.1) * size)
            # Multiply blend: the black text stays visible under the red ink, as on paper.
            region = img.crop((x, y, x + size, y + size))
            ink = Image.new("RGB", seal.size, (255, 255, 255))
            ink.paste(seal, mask=seal.split()[3])
            blended = Image.fromarray((np.asarray(region, dtype=np.float32) * np.asarray(ink, dtype=np.float32) / 255).astype(np.uint8))
            img.paste(blended, (x, y))
        skew = angle if angle is not None else rng.uniform(-1.5, 1.5)
        img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=(250, 249, 244))
        arr = np.asarray(img, dtype=np.float32)
        arr = arr * np.array([0.985, 0.98, 0.955]) + nprng.normal(0, noise, arr.shape[:2])[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
        images.append(img)
    doc.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        # JPEG-compress each page first, as a scanner's PDF does.
        jpegs = []
        for img in images:
            buffer = io.BytesIO()
            img.save(buffer, "JPEG", quality=quality)
            jpegs.append(Image.open(io.BytesIO(buffer.getvalue())))
        jpegs[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=jpegs[1:])
    elif out.suffix.lower() in (".jpg", ".jpeg"):
        images[0].save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    else:
        images[0].save(out, dpi=(dpi, dpi))
    return out


def expected() -> dict[str, Any]:
    return json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    build_text_pdfs(HERE)
    if "--scans" in sys.argv:  # preview scans (not checked in)
        preview = Path(tempfile.mkdtemp(prefix="extract_scans_"))
        for name, info in expected().items():
            make_scan(HERE / name, preview / name, stamp_text=info["stamp"], pages=info["scan_pages"])
        print(preview)
