"""``zhuanxing match`` and ``zhuanxing match-eval``: offline matching and its evaluation, no database.

    zhuanxing match --corpus CORPUS.jsonl --queries QUERIES.jsonl --top 20 --output RUN.tsv
    zhuanxing match-eval RUN.tsv QRELS.tsv

Corpus lines: {"id", "kind": "expert"|"achievement"|"institution", "title", "text", "field"?, "org"?}
(optionally "confirmed_on": "YYYY-MM-DD" and "response_rate": 0–1); query lines: {"id", "title", "text",
"field"?}. Output lines: query_id<TAB>doc_id<TAB>rank<TAB>score, no header.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn, TextIO, TypeVar

from .documents import Document, Query
from .errors import InputFileError, MatchingError
from .evaluate import Run, evaluate, plain_bm25_run, read_qrels, read_run
from .fields import FieldTaxonomy
from .index import Index
from .tokenize import Tokenizer

MAX_PROBLEMS_SHOWN = 20
T = TypeVar("T")


# argparse speaks English; these are the messages a user of these two commands can meet.
_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 需要一个值"),
    (re.compile(r"argument (\S+): (.*)"), r"参数 \1：\2"),
]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：")


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs):
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "位置参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_MESSAGES:
            message = pattern.sub(chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数有误：{message}\n")


def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object raises."""
    try:
        raw_lines = path.read_bytes().splitlines()
    except OSError as error:
        raise InputFileError(str(path), None, f"无法读取（{error.strerror}）") from None
    for number, raw in enumerate(raw_lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise InputFileError(str(path), number, "不是 UTF-8 编码") from None
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as error:
            reason = getattr(error, "msg", str(error))
            column = getattr(error, "colno", None)
            where = f"第 {column} 列：" if column else ""
            raise InputFileError(str(path), number, f"不是合法的 JSON（{where}{reason}）") from None
        if not isinstance(data, dict):
            raise InputFileError(str(path), number, "应为一个 JSON 对象 {…}")
        yield number, data


def _read_items(path: Path, parse: Callable[[int, dict], tuple[str, T]]) -> dict[str, T]:
    """Every line's item by id; all bad lines are reported together."""
    items: dict[str, T] = {}
    first_line: dict[str, int] = {}
    problems: list[InputFileError] = []
    for number, data in _jsonl(path):
        try:
            item_id, item = parse(number, data)
        except MatchingError as error:
            problems.append(InputFileError(str(path), number, str(error)))
            continue
        if item_id in items:
            problems.append(
                InputFileError(str(path), number, f"编号「{item_id}」与第 {first_line[item_id]} 行重复")
            )
            continue
        items[item_id], first_line[item_id] = item, number
    if problems:
        shown = "\n".join(str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        raise MatchingError(shown + (f"\n……另有 {more} 处问题" if more > 0 else ""))
    return items


def read_corpus(path: str | Path) -> dict[str, Document]:
    def parse(_number: int, data: dict) -> tuple[str, Document]:
        document = Document.from_mapping(data)
        return document.id, document

    return _read_items(Path(path), parse)


def read_queries(path: str | Path) -> dict[str, Query]:
    def parse(_number: int, data: dict) -> tuple[str, Query]:
        query_id = data.get("id")
        if isinstance(query_id, int) and not isinstance(query_id, bool):
            query_id = str(query_id)
        if not isinstance(query_id, str) or not query_id.strip():
            raise MatchingError("缺少编号「id」（应为非空文字）")
        return query_id, Query.from_mapping(data)

    return _read_items(Path(path), parse)


def _extra_lines(path: str | None) -> list[str]:
    if path is None:
        return []
    try:
        return Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, None, f"无法读取（{error}）") from None


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{value}」不是 YYYY-MM-DD 格式的日期") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"「{value}」应为正整数")
    return int(value)


def _write_run(run: Run, out: TextIO) -> None:
    for query_id, ranked in run.items():
        for rank, (doc_id, score) in enumerate(ranked, start=1):
            out.write(f"{query_id}\t{doc_id}\t{rank}\t{score:.4f}\n")


def match(argv: list[str]) -> int:
    parser = _Parser(prog="zhuanxing match", description="为每条需求从语料中推荐候选，输出名次与得分。")
    parser.add_argument("--corpus", required=True, help="供给语料 JSONL（专家、成果、机构）")
    parser.add_argument("--queries", required=True, help="需求 JSONL")
    parser.add_argument("--top", type=_positive, default=20, help="每条需求输出的候选数（默认 20）")
    parser.add_argument("--output", help="结果 TSV 路径（默认输出到屏幕）")
    parser.add_argument("--dictionary", help="扩展词典文件，格式同内置 userdict.txt")
    parser.add_argument("--synonyms", help="扩展近义词文件，格式同内置 synonyms.txt")
    parser.add_argument("--stopwords", help="扩展停用词文件，每行一个")
    parser.add_argument("--fields", help="扩展领域表文件，格式同内置 fields.txt")
    parser.add_argument("--today", type=_date, help="计算资料新鲜度的日期（默认今天）")
    parser.add_argument("--explain", help="把每条推荐的得分构成和匹配词写入此 JSONL 文件")
    parser.add_argument("--plain", action="store_true", help="只用 jieba 分词加 BM25 的基线（用于对比）")
    args = parser.parse_args(argv)

    try:
        documents = read_corpus(args.corpus)
        queries = read_queries(args.queries)
        if args.plain:
            run = plain_bm25_run(list(documents.values()), queries, top=args.top)
            explanations = None
        else:
            tokenizer = Tokenizer(
                extra_dictionary=_extra_lines(args.dictionary),
                extra_synonyms=_extra_lines(args.synonyms),
                extra_stopwords=_extra_lines(args.stopwords),
            )
            taxonomy = FieldTaxonomy(_extra_lines(args.fields))
            index = Index.build(documents.values(), tokenizer=tokenizer, taxonomy=taxonomy)
            run, explanations = {}, []
            for query_id, query in queries.items():
                matches = index.search(dataclasses.replace(query, today=args.today), top=args.top)
                run[query_id] = [(m.doc_id, m.score) for m in matches]
                explanations.extend({"query_id": query_id, **m.as_dict()} for m in matches)
    except MatchingError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if not documents:
        print("提示：语料为空，没有可推荐的候选。", file=sys.stderr)

    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                _write_run(run, out)
        else:
            _write_run(run, sys.stdout)
        if args.explain and explanations is not None:
            with open(args.explain, "w", encoding="utf-8") as out:
                for line in explanations:
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as error:
        print(f"错误：无法写入结果（{error}）", file=sys.stderr)
        return 1
    return 0


def match_eval(argv: list[str]) -> int:
    parser = _Parser(
        prog="zhuanxing match-eval", description="按分级相关判断评价推荐结果：nDCG@10、MRR@10、Recall@20。"
    )
    parser.add_argument("run", help="zhuanxing match 输出的结果 TSV")
    parser.add_argument("qrels", help="相关判断 TSV：查询编号、文档编号、相关等级（1–3）")
    parser.add_argument("--per-query", action="store_true", help="另列出每条查询的 nDCG@10")
    args = parser.parse_args(argv)
    try:
        metrics = evaluate(read_run(args.run), read_qrels(args.qrels))
    except MatchingError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if not metrics.queries:
        print("错误：相关判断里没有任何相关等级 ≥ 1 的条目，无法评价", file=sys.stderr)
        return 2
    for line in metrics.lines():
        print(line)
    if args.per_query:
        for query_id, value in metrics.per_query_ndcg.items():
            print(f"{query_id}\t{value:.4f}")
    return 0
