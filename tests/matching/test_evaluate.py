from __future__ import annotations

import math

import pytest

from zhuanxing.matching import InputFileError
from zhuanxing.matching.evaluate import evaluate, read_qrels, read_run


def test_metrics_by_hand():
    qrels = {"q1": {"a": 3, "b": 1, "c": 2}, "q2": {"x": 1}, "q3": {"n": 0}}
    run = {"q1": [("b", 9.0), ("z", 8.0), ("a", 7.0)], "q2": [("y", 1.0)] * 10 + [("x", 0.5)]}
    metrics = evaluate(run, qrels)
    dcg = 1 / math.log2(2) + 3 / math.log2(4)
    ideal = 3 / math.log2(2) + 2 / math.log2(3) + 1 / math.log2(4)
    assert metrics.queries == 2  # q3 has nothing relevant: not counted
    assert metrics.per_query_ndcg == pytest.approx({"q1": dcg / ideal, "q2": 0.0})
    assert metrics.ndcg_at_10 == pytest.approx(dcg / ideal / 2)
    assert metrics.mrr_at_10 == pytest.approx((1 + 0) / 2)  # q2's hit is at rank 11
    assert metrics.recall_at_20 == pytest.approx((2 / 3 + 1) / 2)
    assert metrics.lines()[0] == f"nDCG@10\t{dcg / ideal / 2:.4f}"


def test_run_is_ordered_by_rank_and_a_repeated_document_counts_once(tmp_path):
    path = tmp_path / "run.tsv"
    path.write_text("q1\tb\t2\t1.0\nq1\ta\t1\t2.0\nq1\ta\t3\t0.5\n", encoding="utf-8")
    assert read_run(path) == {"q1": [("a", 2.0), ("b", 1.0)]}


@pytest.mark.parametrize(
    ("reader", "content", "message"),
    [
        (read_run, "q1\ta\t1\t1.0\nq1\tb\t第二\t0.5\n", "run.tsv 第 2 行：名次应为整数"),
        (read_run, "q1\ta\n", "run.tsv 第 1 行：应为「查询编号、文档编号、名次、得分」四列"),
        (read_qrels, "q1\ta\t3\nq1\tb\t高\n", "run.tsv 第 2 行：相关等级「高」应为非负整数"),
        (read_qrels, "q1\ta\t3\t1\n", "run.tsv 第 1 行：应为「查询编号、文档编号、相关等级」三列"),
    ],
)
def test_bad_lines_are_named(tmp_path, reader, content, message):
    path = tmp_path / "run.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        reader(path)
