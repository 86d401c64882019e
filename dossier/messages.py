"""Chinese messages for pydantic validation errors.

Pydantic's own messages are English ("Input should be a valid number"); users read
Chinese. Each error type maps to a sentence; our own validators already raise Chinese
``ValueError`` texts, which pass through.
"""

from __future__ import annotations

from typing import Any

_BY_TYPE = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？该字段不在数据格式中）",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "bool_parsing": "应为 是 或 否",
    "bool_type": "应为 是 或 否",
    "string_type": "应为文字",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为映射（“键: 值”）",
    "model_type": "应为映射（“键: 值”）",
    "model_attributes_type": "应为映射（“键: 值”）",
}


def translate(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        # Our validators raise ValueError with a Chinese text; pydantic prefixes it.
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"取值不在允许范围内，应为：{expected.replace(' or ', '、')}"
    if kind in _BY_TYPE:
        given = error.get("input")
        text = _BY_TYPE[kind]
        if kind not in {"missing", "extra_forbidden"} and given is not None and not isinstance(given, (dict, list)):
            text += f"，实际为 {given!r}"
        return text
    return str(error.get("msg", "格式不正确"))
