from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zhuanxing.matching import DictionaryError, FieldTaxonomy, Query, RankingWeights
from zhuanxing.matching.fields import Relation
from zhuanxing.matching.rank import UNKNOWN_DATE, compute_signals, query_terms

WEIGHTS = RankingWeights()


@pytest.fixture(scope="module")
def taxonomy() -> FieldTaxonomy:
    return FieldTaxonomy()


@pytest.mark.parametrize(
    ("query", "document", "relation"),
    [
        (["石油化工"], ["绿色石化"], Relation.SAME),  # an alias
        (["装备制造"], ["新材料", "先进制造与自动化"], Relation.RELATED),  # the closest pair decides
        (["先进制造与自动化"], ["装备制造"], Relation.RELATED),  # related either way round
        (["纺织服装"], ["石油化工"], Relation.OTHER),
        (["纺织服装"], [], Relation.UNKNOWN),
        ([], ["纺织服装"], Relation.UNKNOWN),
        (["纺织服装"], ["宠物用品"], Relation.UNKNOWN),  # not in the taxonomy: no penalty
        (["宠物用品"], ["宠物用品"], Relation.SAME),
    ],
)
def test_field_relations(taxonomy, query, document, relation):
    assert taxonomy.relation(query, document).relation is relation


def test_field_taxonomy_takes_extra_lines_and_checks_them():
    extended = FieldTaxonomy("文体用品 | 文具, 体育用品 | 新材料")
    assert extended.relation(["文具"], ["新材料"]).relation is Relation.RELATED
    with pytest.raises(DictionaryError, match="扩展领域表第 1 行：相关领域「火星」没有在领域表中定义"):
        FieldTaxonomy("文体用品 | 文具 | 火星")


def test_query_terms_weigh_title_words_and_add_synonyms_lower(tokenizer):
    query = Query(title="机械手", text="冲压 冲压 冲压")
    terms = {t.term: t for t in query_terms(tokenizer, query, WEIGHTS, idf=lambda term: 1.0)}
    assert terms["机械手"].weight == pytest.approx(1 + np.log(WEIGHTS.query_title))
    assert terms["冲压"].weight == pytest.approx(1 + np.log(3))
    assert terms["工业机器人"].synonym_of == "机械手"
    assert terms["工业机器人"].weight == pytest.approx(WEIGHTS.synonym * terms["机械手"].weight)


def test_query_terms_drop_unknown_terms_and_keep_the_most_telling_of_long_demands(tokenizer):
    known = {"伺服电机": 5.0, "伺服": 2.0, "电机": 1.0}
    query = Query(text="伺服电机 抖动")
    terms = {t.term for t in query_terms(tokenizer, query, WEIGHTS, idf=lambda term: known.get(term, 0.0))}
    assert terms == {"伺服电机", "伺服", "电机"}  # 抖动 is in no document; no synonym of these is either
    few = RankingWeights(max_query_terms=1)
    assert [t.term for t in query_terms(tokenizer, query, few, idf=lambda term: known.get(term, 0.0))] == [
        "伺服电机"
    ]


def test_signals_scale_with_freshness_and_response(taxonomy):
    today = dt.date(2025, 6, 30).toordinal()
    confirmed = np.array([today - 10, today - 450, today - 1000, UNKNOWN_DATE])
    signals = compute_signals(
        Query(fields=("装备制造",), kind_weights={"institution": 0.5}),
        WEIGHTS,
        taxonomy,
        field_sets=[(), ("装备制造",)],
        field_set_ids=np.array([1, 1, 0, 0]),
        kind_codes=np.array([0, 1, 2, 0]),
        confirmed=confirmed,
        response_rates=np.array([1.0, 0.5, 0.0, np.nan]),
        today=today,
    )
    assert signals.field.tolist() == [WEIGHTS.same_field, WEIGHTS.same_field, 1.0, 1.0]
    assert signals.kind.tolist() == [1.0, 1.0, 0.5, 1.0]
    fresh, fading, stale, unknown = signals.freshness.tolist()
    assert fresh == pytest.approx(1 + WEIGHTS.fresh_boost) and 1 < fading < fresh
    assert stale == pytest.approx(1 - WEIGHTS.stale_penalty) and unknown == 1.0
    assert signals.response.tolist() == pytest.approx([1.1, 1.0, 0.9, 1.0])
