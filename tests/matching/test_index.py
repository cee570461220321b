from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import threading

import bm25s
import numpy as np
import pytest

from zhuanxing.matching import (
    Document,
    Index,
    IndexStoreError,
    InvalidDocumentError,
    Query,
    RankingWeights,
    Tokenizer,
)
from zhuanxing.matching.index import K1, TITLE_REPEAT, B

TODAY = dt.date(2025, 6, 30)  # the day conftest's documents were confirmed relative to

ROBOT_DEMAND = Query(
    title="冲床上下料机器换人",
    text="五金冲压车间希望用机械手替代人工上下料。",
    fields=("装备制造",),
    today=TODAY,
)


def ranking(index: Index, query: Query, top: int = 20) -> list[str]:
    return [match.doc_id for match in index.search(query, top=top)]


def test_search_ranks_the_relevant_candidates_first(small_index):
    assert set(ranking(small_index, ROBOT_DEMAND)[:2]) == {"expert-robot", "achievement-feeder"}
    assert "achievement-coating" not in ranking(small_index, ROBOT_DEMAND)


def test_each_match_explains_its_score(small_index):
    best = next(match for match in small_index.search(ROBOT_DEMAND) if match.doc_id == "expert-robot")
    assert best.rank <= 2 and best.kind == "expert"
    by_name = {factor.name: factor for factor in best.factors}
    assert by_name["field"].multiplier == pytest.approx(RankingWeights().same_field)
    assert by_name["field"].detail == "同属「装备制造」领域"
    assert by_name["freshness"].detail == "资料 30 天前确认" and by_name["freshness"].multiplier > 1
    assert by_name["response"].detail == "以往邀请响应率 90%" and by_name["response"].multiplier > 1
    product = math.prod(factor.multiplier for factor in best.factors)
    assert best.score == pytest.approx(best.text_score * product)
    assert sum(term.score for term in best.matched_terms) == pytest.approx(best.text_score)

    terms = {term.term: term for term in best.matched_terms}
    assert terms["工业机器人"].synonym_of in {"机械手", "机器人"}  # the demand said 机械手
    assert "冲压" in terms or "冲压生产线" in terms
    assert "机器" not in terms  # sub-words are folded into the longer matched term
    assert best.reason.startswith("共同关键词：")
    assert "工业机器人（近义：" in best.reason and "同属「装备制造」领域" in best.reason
    data = best.as_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["kind_label"] == "专家" and data["reason"] == best.reason


def test_field_signal_puts_the_demands_field_first_among_word_sharing_candidates(tokenizer):
    documents = [
        Document(
            id="tool",
            kind="achievement",
            title="刀具耐磨涂层",
            text="提高涂层硬度和寿命。",
            fields=("装备制造",),
        ),
        Document(
            id="fabric",
            kind="achievement",
            title="面料功能涂层",
            text="提高涂层耐水洗和寿命。",
            fields=("纺织服装",),
        ),
    ]
    index = Index.build(documents, tokenizer=tokenizer)
    textile = Query(title="涂层寿命", text="涂层不耐用", fields=("纺织",))  # an alias of 纺织服装
    machining = dataclasses.replace(textile, fields=("装备制造",))
    assert ranking(index, textile) == ["fabric", "tool"]
    assert ranking(index, machining) == ["tool", "fabric"]
    other = index.search(textile)[1].factors[0]
    assert other.multiplier < 1 and other.detail == "领域不同：需求属「纺织服装」，候选属「装备制造」"


def test_stale_profiles_and_low_response_rates_weigh_less(small_index):
    query = Query(text="宁波大学液压元件检测", today=TODAY)
    lab = small_index.search(query)[0]
    by_name = {factor.name: factor for factor in lab.factors}
    assert by_name["freshness"].multiplier < 1 and "年前确认" in by_name["freshness"].detail
    assert by_name["response"].multiplier < 1
    assert "field" not in by_name  # the query has no field: no field factor


def test_kind_filter_weights_and_exclusions(small_index):
    only_achievements = dataclasses.replace(ROBOT_DEMAND, kinds=frozenset({"achievement"}))
    assert all(match.kind == "achievement" for match in small_index.search(only_achievements))
    favour = dataclasses.replace(ROBOT_DEMAND, kind_weights={"achievement": 3.0})
    assert ranking(small_index, favour)[0] == "achievement-feeder"
    factor = small_index.search(favour)[0].factors[-1]
    assert factor.name == "kind" and factor.detail == "候选类型「成果」权重 ×3"
    excluded = dataclasses.replace(ROBOT_DEMAND, exclude=frozenset({"expert-robot"}))
    assert "expert-robot" not in ranking(small_index, excluded)
    assert len(small_index.search(ROBOT_DEMAND, top=1)) == 1
    assert small_index.search(ROBOT_DEMAND, top=0) == []


@pytest.mark.parametrize(
    "text",
    ["", "🚀🤖🔥" * 10, "。。。", "的了和"],
)
def test_queries_without_usable_words_find_nothing(small_index, text):
    assert small_index.search(Query(title=text, text=text)) == []


def test_unusual_documents_are_indexed_and_found(tokenizer):
    documents = [
        Document(id="empty", kind="expert"),
        Document(id="emoji", kind="expert", title="🤖", text="🚀🔥"),
        Document(id="long", kind="expert", title="伺服电机", text="伺服电机控制精度问题。" * 500),
        Document(
            id="latin", kind="achievement", title="Servo PLC retrofit", text="PLC upgrade for CNC lines"
        ),
        Document(id="digits", kind="achievement", title="20240630", text="304 316"),
        Document(
            id="html", kind="achievement", title="<b>液压</b>马达", text="<script>alert(1)</script>低速"
        ),
    ]
    index = Index.build(documents, tokenizer=tokenizer)
    assert len(index) == 6
    assert ranking(index, Query(text="plc 改造"))[0] == "latin"
    assert ranking(index, Query(text="316"))[0] == "digits"
    assert ranking(index, Query(text="液压马达"))[0] == "html"
    assert "script" not in {t.term for m in index.search(Query(text="script")) for t in m.matched_terms}
    assert ranking(index, Query(text="伺服电机" * 1250))[0] == "long"  # a 5,000-character demand


def test_changes_apply_at_once(small_index, small_documents):
    new = Document(id="expert-vision", kind="expert", title="机器视觉定位冲压件", text="视觉引导机械手抓取。")
    small_index.upsert(new)
    assert "expert-vision" in ranking(small_index, ROBOT_DEMAND)
    changed = dataclasses.replace(small_documents[0], title="纺织印染废水", text="印染废水脱色。")
    small_index.upsert(changed)
    assert "expert-robot" not in ranking(small_index, ROBOT_DEMAND)
    assert ranking(small_index, Query(text="印染废水"))[0] == "expert-robot"
    assert small_index.withdraw("achievement-feeder") is True
    assert small_index.withdraw("achievement-feeder") is False
    assert "achievement-feeder" not in ranking(small_index, ROBOT_DEMAND)
    assert len(small_index) == 5 and "achievement-feeder" not in small_index
    assert small_index.status().pending_changes == 3


def test_pending_changes_rank_like_a_rebuild_and_compaction_equals_it(tokenizer, small_documents):
    incremental = Index.build(small_documents[:2], tokenizer=tokenizer)
    for document in small_documents[2:]:
        incremental.upsert(document)
    rebuilt = Index.build(small_documents, tokenizer=tokenizer)
    queries = [ROBOT_DEMAND, Query(text="液压元件检测"), Query(text="涤纶面料涂层"), Query(text="冲压模具")]
    for query in queries:
        assert ranking(incremental, query) == ranking(rebuilt, query)
    incremental.compact()
    assert incremental.status().pending_changes == 0
    for query in queries:
        got, want = incremental.search(query), rebuilt.search(query)
        assert [m.doc_id for m in got] == [m.doc_id for m in want]
        assert [m.score for m in got] == pytest.approx([m.score for m in want])


def test_the_bm25_matrix_is_the_one_bm25s_builds(tokenizer, small_documents):
    index = Index.build(small_documents, tokenizer=tokenizer)
    bags = [
        tokenizer.tokens(d.title) * TITLE_REPEAT + tokenizer.tokens(d.text) + tokenizer.tokens(d.org)
        for d in small_documents
    ]
    reference = bm25s.BM25(k1=K1, b=B, method="lucene")
    reference.index(bags, show_progress=False)
    ours, theirs = index._base.bm25.scores, reference.scores
    assert set(index._base.vocab) == set(reference.vocab_dict) - {""}
    for term in index._base.vocab:
        their_id = reference.vocab_dict[term]
        rows, scores = index._base.postings(term)
        start, end = theirs["indptr"][their_id], theirs["indptr"][their_id + 1]
        assert rows.tolist() == theirs["indices"][start:end].tolist()
        np.testing.assert_allclose(scores, theirs["data"][start:end], rtol=1e-6)
    assert ours["num_docs"] == theirs["num_docs"]


def test_compaction_in_small_chunks_gives_the_same_index(tokenizer, small_documents, monkeypatch):
    import zhuanxing.matching.index as index_module

    whole = Index.build(small_documents, tokenizer=tokenizer)
    monkeypatch.setattr(index_module, "CHUNK_ROWS", 2)
    chunked = Index.build(small_documents[:4], tokenizer=tokenizer)
    chunked.withdraw("achievement-die")
    chunked.upsert(small_documents[4])
    chunked.upsert(small_documents[2])
    chunked.compact()
    for query in [ROBOT_DEMAND, Query(text="液压元件检测"), Query(text="涤纶面料涂层")]:
        assert {m.doc_id: m.score for m in chunked.search(query)} == pytest.approx(
            {m.doc_id: m.score for m in whole.search(query)}
        )


def test_an_index_built_by_changes_alone_works(tokenizer, small_documents):
    index = Index(tokenizer=tokenizer, auto_compact_at=3)
    assert index.search(ROBOT_DEMAND) == []
    for document in small_documents:
        index.upsert(document)
    assert index.status().pending_changes == 2  # compacted by itself at the third change
    assert set(ranking(index, ROBOT_DEMAND)[:2]) == {"expert-robot", "achievement-feeder"}


def test_saved_index_reopens_with_the_same_results(tmp_path, tokenizer, small_documents):
    built = Index.build(small_documents, tokenizer=tokenizer, path=tmp_path / "index")
    reopened = Index.open(tmp_path / "index", tokenizer=tokenizer)
    assert [m.as_dict() for m in reopened.search(ROBOT_DEMAND)] == [
        m.as_dict() for m in built.search(ROBOT_DEMAND)
    ]
    assert reopened.status().generation == 1 and not reopened.status().needs_rebuild


def test_processes_sharing_a_directory_see_each_others_changes(tmp_path, tokenizer, small_documents):
    path = tmp_path / "index"
    Index.build(small_documents[:3], tokenizer=tokenizer, path=path)
    writer = Index.open(path, tokenizer=tokenizer)
    reader = Index.open(path, tokenizer=tokenizer)
    writer.upsert(small_documents[3])
    writer.withdraw("achievement-die")
    assert "achievement-coating" in reader and "achievement-die" not in reader
    reader.upsert(small_documents[4])  # the reader writes too: both append to the same journal
    assert "institution-nbu" in writer

    writer.compact()
    assert sorted(p.name for p in path.iterdir()) == ["base-2", "journal-2.jsonl", "lock", "manifest.json"]
    assert reader.status().generation == 2 and len(reader) == 4
    assert ranking(reader, ROBOT_DEMAND) == ranking(writer, ROBOT_DEMAND)
    fresh = Index.open(path, tokenizer=tokenizer)
    assert ranking(fresh, ROBOT_DEMAND) == ranking(writer, ROBOT_DEMAND)


def test_a_write_cut_short_is_ignored_then_overwritten(tmp_path, tokenizer, small_documents):
    path = tmp_path / "index"
    Index.build(small_documents[:2], tokenizer=tokenizer, path=path)
    with open(path / "journal-1.jsonl", "ab") as journal:
        journal.write(b'{"op":"put","doc":{"id":"half')  # a crash in the middle of a write
    index = Index.open(path, tokenizer=tokenizer)
    assert len(index) == 2
    index.upsert(small_documents[2])
    assert len(Index.open(path, tokenizer=tokenizer)) == 3


def test_broken_or_missing_directories_give_clear_errors(tmp_path, tokenizer, small_documents):
    with pytest.raises(IndexStoreError, match="不是匹配索引目录"):
        Index.open(tmp_path / "nowhere", tokenizer=tokenizer)
    path = tmp_path / "index"
    Index.build(small_documents, tokenizer=tokenizer, path=path)
    (path / "journal-1.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="journal-1.jsonl 第 1 行已损坏"):
        Index.open(path, tokenizer=tokenizer)
    (path / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="已损坏"):
        Index.open(path, tokenizer=tokenizer)
    Index.build(small_documents, tokenizer=tokenizer, path=path)  # building over it repairs it
    assert len(Index.open(path, tokenizer=tokenizer)) == 5


def test_an_index_from_another_dictionary_asks_for_a_rebuild(tmp_path, tokenizer, small_documents):
    path = tmp_path / "index"
    Index.build(small_documents, tokenizer=tokenizer, path=path)
    extended = Tokenizer(extra_dictionary="铆压机")
    index = Index.open(path, tokenizer=extended)
    assert index.status().needs_rebuild
    assert ranking(index, ROBOT_DEMAND)  # still searchable meanwhile
    Index.build(small_documents, tokenizer=extended, path=path)
    assert not Index.open(path, tokenizer=extended).status().needs_rebuild


def test_searching_while_another_thread_writes(small_index, small_documents):
    errors = []

    def write():
        try:
            for i in range(30):
                small_index.upsert(dataclasses.replace(small_documents[1], id=f"copy-{i}"))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    thread = threading.Thread(target=write)
    thread.start()
    for _ in range(30):
        small_index.search(ROBOT_DEMAND)
    thread.join()
    assert not errors and len(small_index) == 35


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"kind": "patent"},
            "类型「patent」无法识别，应为 expert（专家）、achievement（成果）、institution（机构）",
        ),
        ({"kind": None}, "类型（空）无法识别"),
        ({"id": "  "}, "缺少编号"),
        ({"title": 3}, "「title」应为文字"),
        ({"response_rate": 1.5}, "响应率 1.5 超出 0 到 1 的范围"),
        ({"confirmed_on": "昨天"}, "确认日期「昨天」不是 YYYY-MM-DD"),
        ({"fields": [1]}, "「field」里有非文字的值"),
    ],
)
def test_invalid_documents_are_refused_in_chinese(fields, message):
    values = {"id": "x", "kind": "expert", **fields}
    with pytest.raises(InvalidDocumentError, match=message):
        Document(**values)


def test_documents_accept_json_shapes():
    document = Document.from_mapping(
        {
            "id": 7,
            "kind": "expert",
            "field": "装备制造",
            "confirmed_on": "2025-01-02T08:00:00",
            "response_rate": 1,
        }
    )
    assert document.id == "7" and document.fields == ("装备制造",)
    assert document.confirmed_on == dt.date(2025, 1, 2) and document.response_rate == 1.0
    with pytest.raises(InvalidDocumentError, match="权重"):
        Query(kind_weights={"expert": 0})


def test_feedback_finds_a_candidate_that_uses_the_best_candidates_words_not_the_demands(tokenizer):
    # The demand says 小孔; only the die-casting documents say 气孔. Feedback from the best candidates
    # (which share 压铸 with the demand) brings in 气孔 and reaches the degassing achievement.
    documents = [
        Document(
            id="casting", kind="expert", title="铝合金压铸工艺", text="压铸件气孔、缩松的成因与工艺控制。"
        ),
        Document(
            id="vacuum", kind="achievement", title="高真空压铸", text="抽真空减少压铸件内部气孔，提高气密性。"
        ),
        Document(id="degas", kind="achievement", title="熔体除气净化装置", text="降低熔体含氢量，消除气孔。"),
        Document(id="paint", kind="achievement", title="汽车涂装", text="车身涂装线喷涂机器人。"),
    ]
    index = Index.build(documents, tokenizer=tokenizer)
    query = Query(title="压铸件小孔多", text="铝壳体压铸后里面有很多小孔。")
    found = {match.doc_id: match for match in index.search(query)}
    assert "degas" in found and "paint" not in found
    degas = found["degas"]
    assert [(term.term, term.related) for term in degas.matched_terms] == [("气孔", True)]
    assert degas.reason == "相关词：气孔"
    plain = index.search(query, weights=RankingWeights(feedback_docs=0))
    assert "degas" not in {match.doc_id for match in plain}


def test_feedback_never_outweighs_the_demands_own_words(tokenizer):
    documents = [
        Document(id=f"near-{i}", kind="achievement", title="精细化工催化剂", text="催化剂 分离 提纯 精细化工")
        for i in range(6)
    ] + [Document(id="both", kind="expert", title="加氢 精馏", text="精细化工")]
    index = Index.build(documents, tokenizer=tokenizer)
    assert index.search(Query(title="加氢、精馏"))[0].doc_id == "both"


def test_budget_sentences_can_count_less_than_the_problem(tokenizer):
    # Off by default (it did not measure well: bench/README.md); a site may turn it on.
    documents = [
        Document(id="problem", kind="expert", title="液压马达", text="液压马达低速爬行"),
        Document(id="budget", kind="expert", title="项目预算管理", text="预算 管理 经费 审计"),
    ]
    index = Index.build(documents, tokenizer=tokenizer)
    query = Query(text="液压马达低速不稳。预算管理经费审计，预算五十万元，预算管理经费审计。")
    weights = RankingWeights(boilerplate=0.1, feedback_docs=0)
    assert [match.doc_id for match in index.search(query, weights=weights)][0] == "problem"
    assert [match.doc_id for match in index.search(query, weights=RankingWeights(feedback_docs=0))][
        0
    ] == "budget"


def test_reverse_direction_names_the_demands_field_as_the_demands(tokenizer):
    demand = Document(id="demand:1", kind="demand", title="废气治理", text="VOCs超标", fields=("资源与环境",))
    index = Index.build([demand], tokenizer=tokenizer)
    profile = Query(title="VOCs治理 催化剂", fields=("石油化工",), kinds=frozenset({"demand"}))
    factor = index.search(profile)[0].factors[0]
    assert factor.detail == "领域相关：需求属「资源与环境」，本方属「石油化工」"
