"""统一社会信用代码 (GB 32100-2015): shape and check digit.

Layout: 登记管理部门 (1) + 机构类别 (1) + 行政区划 (6 digits) + 主体标识码 (9) + 校验码 (1).
Charset: the 31 symbols ``0-9A-HJ-NPQRTUWXY`` (no I, O, S, V, Z). Weights are
3^(i-1) mod 31; check = (31 − Σ value·weight mod 31) mod 31. Source: GB 32100-2015
§4; the same in hutool ``CreditCodeUtil``. Some early pilot codes are legally issued
yet fail the check digit, so a failing check is a warning, never a rejection.
"""

from __future__ import annotations

import re

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# e.g. 91350100M000100Y43: two registration chars, six region digits, ten code chars
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_char(code17: str) -> str:
    total = sum(CHARS.index(c) * w for c, w in zip(code17, WEIGHTS))
    return CHARS[(31 - total % 31) % 31]


def shape_error(code: str) -> str | None:
    """A message when ``code`` cannot be a credit code at all (length, characters)."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际为 {len(code)} 位"
    if not _SHAPE.match(code):
        bad = sorted({c for c in code if c not in CHARS})
        if bad:
            return f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）"
        return "统一社会信用代码第 3–8 位应为行政区划数字代码"
    return None


def check_digit_warning(code: str) -> str | None:
    """A warning when the 18th character is not the GB 32100 check character."""
    expected = check_char(code[:17])
    if code[17] != expected:
        return (
            f"统一社会信用代码校验位不符：第 18 位为 {code[17]}，按 GB 32100 计算应为 {expected}。"
            "请与营业执照核对（个别早期试点代码不符合校验规则，如确认无误可忽略）"
        )
    return None
