"""Shared fixtures: one tokenizer per test session (loading jieba's dictionary takes about a second)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhuanxing.matching import Document, Index, Tokenizer, default_tokenizer

TODAY = dt.date(2025, 6, 30)


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    return default_tokenizer()


@pytest.fixture
def small_documents() -> list[Document]:
    return [
        Document(
            id="expert-robot",
            kind="expert",
            title="冲压自动化与工业机器人应用",
            text="长期从事工业机器人系统集成和冲压生产线自动化改造。",
            fields=("装备制造",),
            org="宁波工程学院",
            confirmed_on=TODAY - dt.timedelta(days=30),
            response_rate=0.9,
        ),
        Document(
            id="achievement-feeder",
            kind="achievement",
            title="多工位冲压送料机械手",
            text="伺服驱动、真空吸盘取料，与冲床联动实现无人化上下料。",
            fields=("先进制造与自动化",),
        ),
        Document(
            id="achievement-die",
            kind="achievement",
            title="汽车覆盖件级进模设计",
            text="冲压成形回弹和开裂问题的模具设计方法。",
            fields=("模具",),
        ),
        Document(
            id="achievement-coating",
            kind="achievement",
            title="户外面料防水透湿涂层",
            text="在涤纶织物表面形成微孔涂层，用于冲锋衣面料。",
            fields=("纺织服装",),
        ),
        Document(
            id="institution-nbu",
            kind="institution",
            title="宁波大学流体传动与控制实验室",
            text="液压元件性能试验台，可为液压件企业提供检测服务。",
            fields=("装备制造",),
            org="宁波大学",
            confirmed_on=TODAY - dt.timedelta(days=1200),
            response_rate=0.1,
        ),
    ]


@pytest.fixture
def small_index(tokenizer: Tokenizer, small_documents: list[Document]) -> Index:
    return Index.build(small_documents, tokenizer=tokenizer)
