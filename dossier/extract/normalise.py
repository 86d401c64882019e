"""Normalisers: the text a pattern captured → the value dossier.yaml holds.

Chosen by name from :data:`NORMALISERS` (``normaliser: date`` in a template); an
unknown name fails when the template is loaded. Each takes the captured text and the
template's parameters and returns ``(value, factor)``: ``factor`` < 1 lowers the
field's confidence (a credit code whose check digit fails); :class:`Reject` means
"not a value of this kind", and the next match is tried.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

Result = tuple[Any, float]


class Reject(ValueError):
    """The captured text is not a value of this kind."""


# --- text ---------------------------------------------------------------------------

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}）])\s+|\s+(?=[{_CJK}（])")


_PAREN = re.compile(r"\(([^()]*)\)")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def _chinese_parens(value: str) -> str:
    """NFKC made ``（）`` ASCII; Chinese text writes them full width. A pair after a
    Chinese character or around one turns back (``衡准联合认证(北京)有限公司`` →
    ``衡准联合认证（北京）有限公司``); ``ISO 14064-1 (2018)`` in Latin text stays."""

    def swap(match: re.Match) -> str:
        before = value[match.start() - 1] if match.start() else ""
        if _HAS_CJK.match(before) or _HAS_CJK.search(match.group(1)):
            return f"（{match.group(1)}）"
        return match.group()

    return _PAREN.sub(swap, value)


def text(raw: str, params: dict) -> Result:
    from .layout import normalise_text

    # a value wrapped over two lines is one value: "…名单的\n通知" → "…名单的通知"
    value = normalise_text(raw.replace("\n", " ")).strip(" |:;,，;。.、")
    value = _SPACE_NEAR_CJK.sub("", value)
    value = re.sub(r"\s{2,}", " ", value)
    value = _chinese_parens(value)
    if not value:
        raise Reject("空值")
    max_len = params.get("max_length", 200)
    if len(value) > max_len:
        raise Reject("过长")
    if len(value) < params.get("min_length", 1):
        raise Reject("过短")  # "为" of "范围为:" is not a scope
    return value, 1.0


_ORG_TAIL = re.compile(r"[（(]?(?:盖章|公章|签章|章)[)）]?$")


def org_name(raw: str, params: dict) -> Result:
    """An organisation's name: ``苏州环博低碳技术服务有限公司（盖章）`` → without the seal note."""
    value, factor = text(raw, params)
    value = _ORG_TAIL.sub("", value).strip()
    if raw.rstrip(" |\n").endswith(".") and re.search(r"\b(?:Ltd|LTD|Co|CO|Inc|INC|Corp|CORP)$", value):
        value += "."  # "Arabia Ltd." keeps its abbreviation point
    if len(value) < 4:
        raise Reject("名称过短")
    return value, factor


def person(raw: str, params: dict) -> Result:
    """A person's name, without the phone number or title a form puts beside it:
    ``周振衡 0519-86512368`` → ``周振衡``."""
    value = re.split(r"[\s,，;；/、]*(?:\+?\d[\d\- ]{5,}|电话|手机|职务|联系电话)", raw.strip(), maxsplit=1)[0]
    value, factor = text(value, params)
    # "法定代表人签章: 公章: 年月日" on a form's signature line is not a name
    if re.search(r"[\d:]|签|章|日期", value) or len(value) > 30:
        raise Reject("不像姓名")
    return value, factor


def _fold(name: str) -> str:
    """For comparing a body's name as OCR reads it: NFKD without accents (TÜV = TUV),
    upper case, no spaces, brackets or points."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\s().,（）·]", "", plain).upper()


def _known_bodies() -> list[str]:
    from ..resources import data_file

    path = data_file("certification_bodies.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopped past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def cert_body(raw: str, params: dict) -> Result:
    """A certification body: its name as the body writes it (certification_bodies.txt)
    when the text read is that name, or within two characters of it (OCR: "北京息格威认武
    中心有限公司", "TUVNORDCERTGmbH"); a name not in the list is kept as read with lower
    confidence, except from the patterns from ``known_only_from_pattern`` on (a catch-all
    pattern: only a known body's name is accepted there)."""
    value, _ = org_name(raw, params)
    folded = _fold(value)
    best, best_distance = None, 3
    for name in _known_bodies():
        known = _fold(name)
        if known == folded:
            return name, 1.0
        if len(known) >= 10:
            distance = _distance(folded, known, 2)
            if distance < best_distance:
                best, best_distance = name, distance
    if best is not None:
        return best, 0.8  # corrected to a known name: shown as "请核对"
    if params.get("_pattern", 0) >= params.get("known_only_from_pattern", 1 << 30):
        raise Reject("不是已知的认证机构")
    return value, 0.9


# --- codes --------------------------------------------------------------------------

def credit_code(raw: str, params: dict) -> Result:
    """统一社会信用代码: 18 characters whose GB 32100 check digit holds, as read or after
    the one repair that validates (codes.py); anything else is not a credit code here
    (fields.py then looks for a valid code anywhere on the page)."""
    from .codes import repair

    value = re.sub(r"[\s\-]", "", raw).upper()
    fixed = repair(value)
    if fixed is None:
        raise Reject("不是有效的统一社会信用代码（校验位不符）")
    return fixed[0], fixed[1]


def code(raw: str, params: dict) -> Result:
    """A certificate or report number: ``证书编号: 00124Q31562R1M`` → ``00124Q31562R1M``."""
    value = raw.strip(" |:;,，。、")
    value = re.sub(r"\s+", "", value)
    if len(value) < 4 or not re.search(r"\d", value):
        raise Reject("不像编号")
    return value, 1.0


_STD_PREFIX = re.compile(r"\b(GB/T|GB|ISO|IATF|OHSAS|PAS|RB/T|IEC|ISO/IEC)\s*(?=\d)")


def standard(raw: str, params: dict) -> Result:
    """``GB/T19001-2016 / IS0 9001:2015`` → ``GB/T 19001-2016/ISO 9001:2015``."""
    value = raw.strip(" |:;,，。")
    # OCR reads O as 0 and I as 1: "IS014001" → "ISO 14001", "0HSAS" → "OHSAS"
    value = re.sub(r"(?<![A-Za-z])(?:IS0|1SO|1S0|ls0|lSO)(?=\s*\d|\b)", "ISO", value)
    value = re.sub(r"(?<![A-Za-z])0HSAS", "OHSAS", value)
    value = re.sub(r"\s*/\s*(?=[A-Z])", "/", value)
    value = _STD_PREFIX.sub(lambda m: m.group(1) + " ", value)
    value = re.sub(r"\s*([-:])\s*(?=\d)", r"\1", value)
    # Several standards: one separator, "/" (``ISO 14067:2018、GB/T 24067-2024`` →
    # ``ISO 14067:2018/GB/T 24067-2024``), so that two spellings compare equal.
    value = re.sub(r"\s*(?:、|,|，|和|及|;)\s*(?=(?:GB|ISO|IATF|OHSAS|PAS|RB|IEC))", "/", value)
    value = re.sub(r"\s*《.*$", "", value).strip()
    if not re.search(r"\d{3,}", value):
        raise Reject("不像标准号")
    return value, 1.0


_DOC_BRACKETS = re.compile(r"[\[【〔(（]\s*((?:19|20)\d\d)\s*[\]】〕)）]")


def doc_number(raw: str, params: dict) -> Result:
    """文号: ``苏工信节能[2023] 598 号`` → ``苏工信节能〔2023〕598号``."""
    value = re.sub(r"\s+", "", raw.strip())
    value = _DOC_BRACKETS.sub(r"〔\1〕", value)
    if not re.search(r"〔(19|20)\d\d〕\d+号$", value):
        raise Reject("不像文号")
    return value, 1.0


# --- dates and years ------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


class Ambiguous(Reject):
    """A value that reads two ways (a date as 04-08-2023): not output, reported."""


def parse_date(raw: str, order: str | None = None) -> dt.date:
    """The first date in ``raw``, read by the one date reader (dossier/dates.py)."""
    from ..dates import AmbiguousDate, DateError, parse_date as read

    try:
        return read(raw, order)
    except AmbiguousDate as exc:
        raise Ambiguous(str(exc)) from None
    except DateError as exc:
        raise Reject(str(exc)) from None


def date(raw: str, params: dict) -> Result:
    """``2024年5月10日`` / ``2024.05.10`` / ``04-08-2023`` / ``3 August 2024`` / ``二〇二四年五月十日``
    → ``2024-05-10``. A day/month order the date does not show is taken from the
    document's other dates (``_date_order``, set by fields.py)."""
    value = parse_date(raw, params.get("_date_order"))
    if not 1950 <= value.year <= 2100:
        raise Reject("日期不合理")
    return value.isoformat(), 1.0


def year(raw: str, params: dict) -> Result:
    """``2024年度`` / ``2024`` / ``二〇二四年`` → 2024."""
    match = re.search(r"(?:19|20)\d\d", raw)
    if match:
        return int(match.group()), 1.0
    match = re.search(r"[〇○零一二三四五六七八九]{4}", raw)
    if match:
        return int("".join(str(_CN_DIGITS[c]) for c in match.group())), 1.0
    raise Reject("不是年份")


# --- numbers and quantities -----------------------------------------------------------

_NUMBER = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)*")


def parse_number(raw: str) -> tuple[float, str]:
    """The first number in ``raw`` and the text after it (its unit).

    Thousands separators (``12,345.6``) and, from OCR, a thousands separator read as a
    point (``12.345.6``) are handled; ``万`` after the number multiplies by 10 000.
    """
    match = _NUMBER.search(raw.replace(" ", ""))
    if not match:
        raise Reject("不是数字")
    digits = match.group().replace(",", "").replace("，", "")
    if digits.count(".") > 1:
        head, _, tail = digits.rpartition(".")
        digits = head.replace(".", "") + "." + tail
    try:
        value = float(digits)
    except ValueError:
        raise Reject("不是数字") from None
    rest = raw.replace(" ", "")[match.end():]
    if rest.startswith("万"):
        value *= 10_000
        rest = rest[1:]
    elif rest.startswith("亿"):
        value *= 100_000_000
        rest = rest[1:]
    return value, rest


def _tidy(value: float) -> float | int:
    value = round(value, 6)
    return int(value) if value == int(value) and abs(value) < 1e15 else value


def number(raw: str, params: dict) -> Result:
    value, _ = parse_number(raw)
    return _tidy(value), 1.0


def _quantity(raw: str, units: dict[str, float], default: float = 1.0) -> float:
    value, rest = parse_number(raw)
    unit = rest.lower().replace("₂", "2").replace(" ", "")
    factor = default
    for name, f in sorted(units.items(), key=lambda kv: -len(kv[0])):
        if unit.startswith(name):
            factor = f
            break
    return value * factor


# 万 is taken off by parse_number, so "1.2万吨" arrives as 12000 with unit "吨".
_EMISSION_UNITS = {"tco2e": 1, "tco2当量": 1, "tco2": 1, "t": 1, "吨二氧化碳当量": 1, "吨co2e": 1, "吨co2": 1,
                   "吨": 1, "kgco2e": 0.001, "kg": 0.001}
_FOOTPRINT_UNITS = {"kgco2e": 1, "kgco2-eq": 1, "kgco2当量": 1, "kg": 1, "千克": 1, "gco2e": 0.001, "g": 0.001,
                    "克": 0.001, "tco2e": 1000, "t": 1000, "吨": 1000}
_ENERGY_UNITS = {"tce": 1, "吨标准煤": 1, "吨标煤": 1, "t标准煤": 1, "吨": 1, "t": 1, "kgce": 0.001,
                 "千克标准煤": 0.001}


def emissions(raw: str, params: dict) -> Result:
    """Emissions in tCO2e: ``16,799.2 tCO2e``, ``1.68万吨二氧化碳当量``, ``2016.7 tCO2``."""
    return _tidy(_quantity(raw, _EMISSION_UNITS)), 1.0


def footprint(raw: str, params: dict) -> Result:
    """A product carbon footprint in kgCO2e per declared unit: ``812 gCO2e`` → 0.812."""
    return _tidy(_quantity(raw, _FOOTPRINT_UNITS)), 1.0


def energy_tce(raw: str, params: dict) -> Result:
    """Energy in tce: ``0.3528万吨标准煤`` → 3528; ``6,029.8 tce`` → 6029.8."""
    return _tidy(_quantity(raw, _ENERGY_UNITS)), 1.0


# parse_number has applied a 万 right after the number; the unit is what follows.
_MONEY_UNITS = {"万元": 1, "万": 1, "亿元": 10_000, "亿": 10_000, "元": 0.0001}


def money(raw: str, params: dict) -> Result:
    """Money in 万元 (as dossier.yaml holds it): ``2.98 亿元`` → 29800; ``66,500`` → 66500
    (a bare number is taken as 万元, the unit of the forms)."""
    value, rest = parse_number(raw)
    unit = rest.replace(" ", "")
    if "万" in raw.replace(" ", "")[: len(raw.replace(" ", "")) - len(rest)]:
        return _tidy(value / 10_000), 1.0  # "3.2万元" arrived as 32000 (yuan): back to 万元
    for name, factor in sorted(_MONEY_UNITS.items(), key=lambda kv: -len(kv[0])):
        if unit.startswith(name):
            return _tidy(value * factor), 1.0
    return _tidy(value), 1.0


def measure(raw: str, params: dict) -> Result:
    """A number with its unit, kept as text: ``51.6 kgce/件`` (unit-product consumption)."""
    value, rest = parse_number(raw)
    unit = re.match(r"[A-Za-z0-9/()%·.\u4e00-\u9fff]*", rest.strip(" |:")).group()
    unit = unit.rstrip("。.,，;；")
    if not unit:
        raise Reject("缺少单位")
    return f"{_tidy(value):g} {unit}", 1.0


# --- registered capital ----------------------------------------------------------------

_CN_NUM = {"零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "二": 2, "两": 2, "叁": 3, "三": 3, "肆": 4, "四": 4,
           "伍": 5, "五": 5, "陆": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8, "玖": 9, "九": 9}
_CN_UNIT = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}


def _cn_amount(text: str) -> float:
    """``壹亿捌仟万`` → 180000000."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CN_NUM:
            digit = _CN_NUM[char]
        elif char in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    return total + section + digit


_CURRENCIES = ("美元", "港元", "港币", "欧元", "日元", "英镑")


def capital(raw: str, params: dict) -> Result:
    """注册资本 as 万 + currency: ``壹亿捌仟万元整`` → ``18000万元人民币``;
    ``2500万美元`` → ``2500万美元``; ``5,000 万元人民币`` → ``5000万元人民币``."""
    text_ = re.sub(r"\s+", "", raw)
    currency = next((c for c in _CURRENCIES if c in text_), None)
    if re.search(r"\d", text_):
        value, _ = parse_number(text_)  # "2500万美元" → 25 000 000 (万 applied)
        wan = value / 10_000
    else:
        chars = re.sub(r"[^零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九拾十佰百仟千万亿]", "", text_)
        if not chars:
            raise Reject("不是金额")
        wan = _cn_amount(chars) / 10_000
    if wan <= 0:
        raise Reject("金额为零")
    amount = f"{_tidy(wan):g}" if wan < 1e6 else str(_tidy(wan))
    return (f"{amount}万{currency}" if currency else f"{amount}万元人民币"), 1.0


# --- choices ----------------------------------------------------------------------------


def choice(raw: str, params: dict) -> Result:
    """The first choice whose regex matches the text: ``{quality: '19001|9001', …}``."""
    for value, pattern in params["choices"].items():
        if re.search(pattern, raw, re.IGNORECASE):
            return value, 1.0
    raise Reject("不在可选值中")


NORMALISERS: dict[str, Callable[[str, dict], Result]] = {
    "text": text,
    "org_name": org_name,
    "cert_body": cert_body,
    "person": person,
    "credit_code": credit_code,
    "code": code,
    "standard": standard,
    "doc_number": doc_number,
    "date": date,
    "year": year,
    "number": number,
    "emissions": emissions,
    "footprint": footprint,
    "energy_tce": energy_tce,
    "measure": measure,
    "money": money,
    "capital": capital,
    "choice": choice,
}

# Parameters each normaliser needs (checked when a template is loaded).
REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {"choice": ("choices",)}


def same_value(a: Any, b: Any) -> bool:
    """Whether two values of a field are the same for the user: numbers within
    rounding, dates whatever their type, text ignoring spaces, width and case
    (``常州澜衡（北京）`` = ``常州澜衡(北京)``)."""
    import unicodedata

    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))
    if isinstance(a, (dt.date, str)) and isinstance(b, (dt.date, str)):
        def canon(v: Any) -> str:
            if isinstance(v, dt.date):
                return v.isoformat()
            return re.sub(r"\s+", "", unicodedata.normalize("NFKC", v)).casefold()
        return canon(a) == canon(b)
    return a == b
