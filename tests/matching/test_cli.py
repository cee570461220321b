from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhuanxing.cli import main as zhuanxing
from zhuanxing.matching.cli import match, match_eval

CORPUS = [
    {
        "id": "E1",
        "kind": "expert",
        "title": "工业机器人应用",
        "text": "冲压线机器换人。",
        "field": "装备制造",
    },
    {
        "id": "A1",
        "kind": "achievement",
        "title": "冲压送料机械手",
        "text": "伺服驱动上下料。",
        "org": "宁波工程学院",
    },
    {"id": "A2", "kind": "achievement", "title": "面料涂层", "text": "涤纶防水透湿。", "field": ["纺织服装"]},
    {"id": "I1", "kind": "institution", "title": "宁波大学", "text": "综合性大学。"},
]
QUERIES = [
    {"id": "D1", "title": "冲床上下料", "text": "想用机械手替代人工", "field": "装备制造"},
    {"id": "D2", "title": "面料防水", "text": "冲锋衣面料防水"},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "corpus": write_jsonl(tmp_path / "corpus.jsonl", CORPUS),
        "queries": write_jsonl(tmp_path / "queries.jsonl", QUERIES),
        "run": tmp_path / "run.tsv",
    }


def run_match(files: dict[str, Path], *extra: str) -> int:
    return match(["--corpus", str(files["corpus"]), "--queries", str(files["queries"]), *extra])


def test_match_writes_the_run_format(files):
    assert run_match(files, "--top", "2", "--output", str(files["run"])) == 0
    lines = files["run"].read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 4 for row in rows)
    assert [(r[0], r[2]) for r in rows if r[0] == "D1"] == [("D1", "1"), ("D1", "2")]
    assert {r[1] for r in rows if r[0] == "D1"} == {"E1", "A1"}
    assert rows[rows.index(next(r for r in rows if r[0] == "D2"))][1] == "A2"
    scores = [float(r[3]) for r in rows if r[0] == "D1"]
    assert scores == sorted(scores, reverse=True) and all("." in r[3] for r in rows)


def test_match_prints_to_stdout_and_writes_explanations(files, tmp_path, capsys):
    explain = tmp_path / "why.jsonl"
    assert run_match(files, "--top", "1", "--explain", str(explain)) == 0
    assert capsys.readouterr().out.startswith("D1\t")
    first = json.loads(explain.read_text(encoding="utf-8").splitlines()[0])
    assert first["query_id"] == "D1" and first["reason"].startswith("共同关键词：")


def test_match_takes_extra_dictionary_and_synonyms(files, tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "X", "kind": "expert", "title": "压铆机", "text": ""}])
    queries = write_jsonl(tmp_path / "q.jsonl", [{"id": "Q", "title": "铆压机", "text": ""}])
    synonyms = tmp_path / "syn.txt"
    synonyms.write_text("铆压机 ~ 压铆机\n", encoding="utf-8")
    assert match(["--corpus", str(corpus), "--queries", str(queries)]) == 0
    assert capsys.readouterr().out == ""
    assert match(["--corpus", str(corpus), "--queries", str(queries), "--synonyms", str(synonyms)]) == 0
    assert capsys.readouterr().out.startswith("Q\tX\t1\t")


def test_plain_baseline_and_evaluation(files, tmp_path, capsys):
    assert run_match(files, "--plain", "--output", str(files["run"])) == 0
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("D1\tA1\t3\nD1\tE1\t2\nD2\tA2\t3\n", encoding="utf-8")
    assert match_eval([str(files["run"]), str(qrels)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in out] == ["nDCG@10", "MRR@10", "Recall@20", "查询数"]
    assert out[3] == "查询数\t2"


def test_the_zhuanxing_command_dispatches_to_the_engine(files, tmp_path, capsys):
    assert (
        zhuanxing(
            ["zhuanxing", "match", "--corpus", str(files["corpus"]), "--queries", str(files["queries"])]
        )
        == 0
    )
    files["run"].write_text(capsys.readouterr().out, encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("D1\tA1\t3\n", encoding="utf-8")
    assert zhuanxing(["zhuanxing", "match-eval", str(files["run"]), str(qrels), "--per-query"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "D1\t1.0000"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "E1", "kind": "expert"}', '{"id": "E2", "kind": "expert",}'], "第 2 行：不是合法的 JSON"),
        (['{"id": "E1", "kind": "patent", "title": "x"}'], "第 1 行：文档「E1」的类型「patent」无法识别"),
        (
            ['{"id": "E1", "kind": "expert"}', "", '{"id": "E1", "kind": "expert"}'],
            "第 3 行：编号「E1」与第 1 行重复",
        ),
        (['["E1", "expert"]'], "第 1 行：应为一个 JSON 对象"),
        (['{"kind": "expert"}'], "第 1 行：缺少编号「id」"),
        (['{"id": "E1", "kind": "expert", "response_rate": "高"}'], "第 1 行：文档「E1」的响应率「高」"),
    ],
)
def test_bad_corpus_lines_are_named(files, capsys, lines, message):
    files["corpus"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_match(files) == 2
    error = capsys.readouterr().err
    assert error.startswith("错误：") and message in error


def test_every_bad_line_is_reported_at_once(files, capsys):
    files["corpus"].write_text('{"id": "A", "kind": "x"}\n{"id": "B", "kind": "y"}\n', encoding="utf-8")
    assert run_match(files) == 2
    error = capsys.readouterr().err
    assert "第 1 行" in error and "第 2 行" in error


def test_files_that_cannot_be_read(files, tmp_path, capsys):
    files["corpus"] = tmp_path / "missing.jsonl"
    assert run_match(files) == 2
    assert "missing.jsonl：无法读取" in capsys.readouterr().err
    files["corpus"] = tmp_path / "gbk.jsonl"
    files["corpus"].write_bytes('{"id": "E1", "kind": "expert", "title": "机器人"}'.encode("gbk"))
    assert run_match(files) == 2
    assert "第 1 行：不是 UTF-8 编码" in capsys.readouterr().err


def test_unusual_texts_give_sensible_results(files, tmp_path, capsys):
    corpus = [
        {"id": "empty", "kind": "expert", "title": "", "text": ""},
        {"id": "nulls", "kind": "expert", "title": None, "text": None},
        {"id": "long", "kind": "expert", "title": "伺服", "text": "伺服电机" * 1250},
        {"id": "emoji", "kind": "achievement", "title": "🤖🚀", "text": "🔥"},
        {"id": "latin", "kind": "achievement", "title": "PLC retrofit", "text": "Siemens S7 upgrade"},
        {"id": "digits", "kind": "institution", "title": "2024", "text": "123456"},
        {"id": "html", "kind": "expert", "title": "<script>alert('x')</script>液压", "text": "<b>马达</b>"},
    ]
    queries = [
        {"id": "q-empty", "title": "", "text": ""},
        {"id": "q-emoji", "title": "😀", "text": "🤖"},
        {"id": "q-latin", "title": "plc", "text": "S7"},
        {"id": "q-digits", "title": "123456", "text": ""},
        {"id": "q-long", "title": "伺服电机", "text": "伺服电机" * 1250},
        {"id": "q-html", "title": "<i>液压马达</i>", "text": "&lt;液压&gt;"},
    ]
    files["corpus"] = write_jsonl(tmp_path / "odd.jsonl", corpus)
    files["queries"] = write_jsonl(tmp_path / "odd-queries.jsonl", queries)
    assert run_match(files) == 0
    firsts = {}
    for line in capsys.readouterr().out.splitlines():
        query_id, doc_id, rank, _ = line.split("\t")
        if rank == "1":
            firsts[query_id] = doc_id
    assert firsts == {"q-latin": "latin", "q-digits": "digits", "q-long": "long", "q-html": "html"}


def test_empty_corpus_is_not_an_error(files, capsys):
    files["corpus"].write_text("", encoding="utf-8")
    assert run_match(files) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "语料为空" in captured.err


def test_bad_arguments_are_reported_in_chinese(files, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_match(files, "--top", "0")
    assert exit_info.value.code == 2
    assert "zhuanxing match：参数有误：参数 --top：「0」应为正整数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        match(["--corpus", "c.jsonl"])
    assert "缺少必需的参数：--queries" in capsys.readouterr().err
    assert match_eval(["no-run.tsv", "no-qrels.tsv"]) == 2
    assert "no-run.tsv：无法读取" in capsys.readouterr().err
