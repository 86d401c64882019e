"""Lists (MIIT 绿色工厂/绿色园区/绿色供应链 annexes and the like): rows, and a name looked up.

A list is recognised by its table, with or without the notice that published it:
a header row with ``序号`` and a ``…名称`` column, then rows numbered 1, 2, 3 … (a row
whose number does not follow is not a row: page numbers, notes). Each row keeps its
page and text as provenance.

``find_rows(rows, name)``: exact (NFKC, spaces removed), then tolerant of brackets,
spaces and the 有限公司 / 股份有限公司 / 有限责任公司 variants of one company's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .layout import Page

_NUMBER = re.compile(r"^\d{1,4}$")
_NAME_HEADER = re.compile(r"名称|企业|单位|园区|工厂")
_REGION_HEADER = re.compile(r"地区|省份|地市|所在地|省\(区、市\)|推荐单位")
# province-level names: a list whose title names one is a provincial (or city) list
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
             "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
             "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆")


@dataclass
class ListRow:
    number: int
    name: str
    region: str | None
    cells: list[str]
    page: int
    text: str


@dataclass
class ListMatch:
    row: ListRow
    exact: bool


def parse_rows(pages: list[Page]) -> list[ListRow]:
    """The numbered rows of the list's table(s), in order."""
    rows: list[ListRow] = []
    name_col: int | None = None
    region_col: int | None = None
    expected = 1
    for page in pages:
        for line in page.lines:
            cells = [s.text for s in (line.segments if line.table_row else line.filled)]
            cells = [c.strip() for c in cells]
            if not cells:
                continue
            if any(c == "序号" for c in cells):
                names = [i for i, c in enumerate(cells) if _NAME_HEADER.search(c) and "机构" not in c]
                name_col = names[0] if names else None
                regions = [i for i, c in enumerate(cells) if _REGION_HEADER.search(c)]
                region_col = regions[0] if regions else None
                continue
            if not _NUMBER.match(cells[0]) or len(cells) < 2:
                continue
            number = int(cells[0])
            if number not in (expected, 1):
                continue
            if number == 1 and rows and expected != 1:
                pass  # a second table (another annex) starts: its rows follow
            col = name_col if name_col is not None and name_col < len(cells) else _guess_name(cells)
            name = cells[col] if col is not None else ""
            if not name:
                continue
            region = cells[region_col] if region_col is not None and region_col < len(cells) else None
            rows.append(ListRow(number, name, region or None, cells, page.number, " | ".join(c for c in cells if c)))
            expected = number + 1
    return rows


def _guess_name(cells: list[str]) -> int | None:
    """No header: the longest cell after the number that is not a region."""
    best = None
    for i, cell in enumerate(cells[1:], start=1):
        if cell in PROVINCES:
            continue
        if best is None or len(cell) > len(cells[best]):
            best = i
    return best


def list_level(title: str | None, rows: list[ListRow]) -> tuple[str | None, float]:
    """国家级 / 省级 / 市级 from what the page prints: a province or city in the title;
    else rows from several provinces (only a national list spans them) → 国家级 (0.8)."""
    title = title or ""
    if "国家级" in title or "工业和信息化部" in title:
        return "国家级", 1.0
    if "省级" in title or any(p in title for p in PROVINCES) or "自治区" in title:
        return "省级", 0.9
    if "市级" in title or re.search(r"[\u4e00-\u9fff]{2,6}市", title):
        return "市级", 0.8
    regions = {r.region for r in rows if r.region}
    if len({p for p in PROVINCES if any(r.startswith(p) for r in regions)}) >= 3:
        return "国家级", 0.8
    return None, 0.0


_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司")
_BRACKETS = re.compile(r"[()（）\[\]【】〔〕<>《》\"'“”‘’]")


def exact_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def tolerant_key(name: str) -> str:
    key = _BRACKETS.sub("", exact_key(name))
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)] + "公司"
    return key


def find_rows(rows: list[ListRow], name: str) -> list[ListMatch]:
    """Rows naming ``name``: exact matches if any, else tolerant ones."""
    key = exact_key(name)
    exact = [ListMatch(r, True) for r in rows if exact_key(r.name) == key]
    if exact:
        return exact
    key = tolerant_key(name)
    return [ListMatch(r, False) for r in rows if tolerant_key(r.name) == key]
