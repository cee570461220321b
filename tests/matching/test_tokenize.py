from __future__ import annotations

import pytest

from zhuanxing.matching import DictionaryError, Tokenizer
from zhuanxing.matching.tokenize import normalize


def test_domain_dictionary_keeps_district_terms_whole(tokenizer):
    tokens = tokenizer.tokens("冲压送料机械手配伺服电机，用于紧固件和液压马达生产")
    for term in ("冲压送料机械手", "伺服电机", "紧固件", "液压马达"):
        assert term in tokens
    # search mode also yields the parts, so a demand that says only 机械手 still meets this text
    assert "机械手" in tokens


def test_latin_terms_and_numbers_are_whole_and_case_folded(tokenizer):
    tokens = tokenizer.tokens("ＰＬＣ控制，MES系统对接，精度0.01mm，GB/T 1234-2008，C++")
    assert {"plc", "mes", "0.01mm", "gb/t", "1234-2008", "c++"} <= set(tokens)
    assert tokenizer.tokens("PLC") == tokenizer.tokens("plc") == tokenizer.tokens("ＰＬＣ") == ["plc"]


def test_mixed_latin_and_han_dictionary_terms_stay_whole(tokenizer):
    tokens = tokenizer.tokens("金属3D打印随形水路")
    assert "金属3d打印" in tokens and "3d打印" in tokens
    assert "3d" in tokens and "打印" in tokens  # the parts too, for texts that write 3D 打印 apart


def test_stop_words_and_punctuation_are_dropped(tokenizer):
    tokens = tokenizer.tokens("我们希望寻求相关的技术合作，需要解决问题。")
    assert "的" not in tokens and "我们" not in tokens and "需要" not in tokens
    assert "，" not in tokens and "。" not in tokens
    assert "技术" in tokens


def test_html_is_stripped_and_entities_decoded():
    assert normalize("<b>伺服</b>&amp;电机") == " 伺服 &电机"
    assert "script" not in normalize("<script>x</script>")


@pytest.mark.parametrize("text", ["", "   ", "🚀🤖🔥", "。，、！？"])
def test_texts_without_words_give_no_tokens(tokenizer, text):
    assert tokenizer.tokens(text) == []


def test_digits_only_and_latin_only_texts(tokenizer):
    assert tokenizer.tokens("20240630") == ["20240630"]
    assert tokenizer.tokens("Servo motor for the CNC") == ["servo", "motor", "cnc"]


def test_synonyms_are_symmetric_and_exclude_the_term_itself(tokenizer):
    assert "工业机器人" in tokenizer.synonyms("机械手")
    assert "机械手" in tokenizer.synonyms("工业机器人")
    assert "表面处理" in tokenizer.synonyms("电镀")
    assert "增材制造" in tokenizer.synonyms("3d打印")
    assert "制造执行系统" in tokenizer.synonyms("mes")
    assert "机械手" not in tokenizer.synonyms("机械手")
    assert tokenizer.synonyms("不存在的词") == frozenset()


def test_synonym_terms_become_dictionary_words(tokenizer):
    # 降低能耗 is only in the synonym table (节能 ~ 降低能耗), yet is cut whole
    assert "降低能耗" in tokenizer.tokens("改造后降低能耗两成")


def test_extra_lines_extend_dictionary_synonyms_and_stop_words(tokenizer):
    assert "铆压机" not in tokenizer.tokens("铆压机控温")  # not a word in the shipped files
    extended = Tokenizer(
        extra_dictionary="# 站内添加\n铆压机\n旋铆机 20",
        extra_synonyms=["铆压机 ~ 压铆机"],
        extra_stopwords="控温",
    )
    tokens = extended.tokens("铆压机控温")
    assert "铆压机" in tokens and "控温" not in tokens
    assert extended.synonyms("铆压机") == {"压铆机"}
    assert extended.fingerprint != tokenizer.fingerprint
    # extending one tokenizer leaves the others (and jieba's shared dictionary) alone
    assert "铆压机" not in tokenizer.tokens("铆压机控温")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"extra_dictionary": "伺服压力机 很多"}, "扩展词典第 1 行：词频「很多」应为正整数"),
        ({"extra_dictionary": "\n\n伺 服 压 力"}, "扩展词典第 3 行"),
        ({"extra_synonyms": "机械手"}, "扩展近义词表第 1 行：一组近义词至少要有两个词"),
    ],
)
def test_bad_extra_lines_name_their_line(kwargs, message):
    with pytest.raises(DictionaryError, match=message):
        Tokenizer(**kwargs)


def test_tokenizing_a_long_text_is_fine(tokenizer):
    tokens = tokenizer.tokens("伺服电机控制精度问题，" * 500)  # 5,000 characters
    assert tokens.count("伺服电机") == 500
