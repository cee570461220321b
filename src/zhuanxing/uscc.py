"""统一社会信用代码 (unified social credit code) checks, GB 32100-2015.

Pure: used by the registry, the import validators and the engines alike. The
arithmetic is python-stdnum's; this module turns its verdict into a reason a
bureau user can read.
"""

from __future__ import annotations

from stdnum.cn import uscc as _stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_problem(code: object) -> str | None:
    """None when ``code`` is a valid credit code, otherwise the reason in Chinese."""
    if not isinstance(code, str) or not code.strip():
        return "统一社会信用代码为空"
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return f"统一社会信用代码含非法字符「{bad[0]}」"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3–8位应为行政区划码（数字）"
    expected = _stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为{expected}）"
    return None


def is_valid_uscc(code: object) -> bool:
    return uscc_problem(code) is None


def make_uscc(body17: str) -> str:
    """Complete a 17-character body with its check character (used for synthetic data)."""
    return body17 + _stdnum_uscc.calc_check_digit(body17)
