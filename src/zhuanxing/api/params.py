"""Shared parameter types and the Chinese translation of pydantic's messages.

Every endpoint that takes a year or a page number uses these bounded types, so an
out-of-range number is a 422 in the API's one error shape, never a server error in
the ORM (``signed_on__year=-546``) or an integer overflow in the database driver.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

YEAR_MIN, YEAR_MAX = 1949, 2100
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年度（{YEAR_MIN}–{YEAR_MAX}）")]
Page = Annotated[int, Field(ge=1, le=1_000_000, description="页码（从 1 开始）")]
PageSize = Annotated[int, Field(ge=1, le=1_000, description="每页条数（最多 200 条生效）")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]

# pydantic error type -> Chinese message ({placeholders} come from the error's ctx)
MESSAGES = {
    "missing": "必填",
    "int_parsing": "须为整数（半角数字）",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "须小于 {lt}",
    "string_type": "须为文本",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "bool_parsing": "须为是或否（true/false）",
    "bool_type": "须为是或否（true/false）",
    "date_parsing": "须为日期（如 2025-01-31）",
    "date_from_datetime_parsing": "须为日期（如 2025-01-31）",
    "date_type": "须为日期（如 2025-01-31）",
    "datetime_parsing": "须为日期时间",
    "datetime_from_date_parsing": "须为日期时间",
    "datetime_type": "须为日期时间",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "extra_forbidden": "不允许的字段",
    "too_long": "条目过多",
    "null": "不能为空",
    "nul_character": "含有非法字符（NUL）",
}
LOCATIONS = {
    "query": "查询参数",
    "path": "路径参数",
    "body": "请求体",
    "form": "表单",
    "file": "文件",
    "header": "请求头",
}


def chinese_message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(error.get("type", ""))
    if template is None:
        message = str(error.get("msg", ""))
        # our own validators raise Chinese ValueErrors: pydantic prefixes them in English
        message = message.removeprefix("Value error, ")
        return message if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "格式不正确"
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template


def ninja_errors(errors: list[dict[str, Any]]) -> tuple[str, dict[str, list[str]]]:
    """(detail, errors by field) in Chinese for ninja's list of pydantic errors."""
    by_field: dict[str, list[str]] = {}
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        where = LOCATIONS.get(loc[0], loc[0]) if loc else ""
        # ninja wraps a JSON body as ("body", "payload", field); drop the parameter name
        names = [p for p in loc[1:] if p not in ("payload", "data")] or loc[1:]
        field = ".".join(names) or "__all__"
        message = chinese_message(error)
        by_field.setdefault(field, []).append(message)
        parts.append(f"{where} {field}：{message}" if field != "__all__" else f"{where}：{message}")
    return "；".join(parts) or "请求参数不正确", by_field


class PatchSchema(Schema):
    """A partial update: a field may be left out, but sent as ``null`` only when it is
    listed in ``nullable`` (the model column allows NULL)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value, info):
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError("null", "不能为空")
        return value
