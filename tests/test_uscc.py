"""统一社会信用代码 checks (GB 32100-2015), without a database."""

import pytest

from zhuanxing.uscc import is_valid_uscc, make_uscc, uscc_problem

# The first is the example python-stdnum documents; the others were checked by hand with
# the GB 32100-2015 weights (3^(i-1) mod 31).
VALID = ["91110000600037341L", "91330211MA2AE00015", "11330211MB0000000R"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert uscc_problem(code) is None
    assert is_valid_uscc(code)


def test_wrong_check_character_names_the_expected_one():
    assert uscc_problem("91110000600037341M") == "统一社会信用代码校验位错误（应为L）"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "统一社会信用代码为空"),
        ("91110000600037341", "统一社会信用代码应为18位，实际为17位"),
        ("91110000600037341LL", "统一社会信用代码应为18位，实际为19位"),
        ("9111000060003734IL", "统一社会信用代码含非法字符「I」"),
        ("91110000600037341l", "统一社会信用代码含非法字符「l」"),
        ("9111O000600037341L", "统一社会信用代码含非法字符「O」"),
        ("91AB0000600037341L", "统一社会信用代码第3–8位应为行政区划码（数字）"),
    ],
)
def test_each_kind_of_invalid_code_gets_its_reason(code, reason):
    assert uscc_problem(code) == reason


def test_make_uscc_completes_a_body_with_a_valid_check():
    code = make_uscc("91330211MA2AE0001")
    assert len(code) == 18 and is_valid_uscc(code)
    assert not is_valid_uscc(code[:17] + ("0" if code[17] != "0" else "1"))
