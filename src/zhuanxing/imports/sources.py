"""The six department files, declared once: their columns, units, kinds and limits.

The template writer, the validator, the preview and the notes sheet all read these
specs, so a column is described in one place. A column's ``id`` is also the English
header a file may use instead of the Chinese label; ids of yearly figures are
``AnnualData`` field names.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhuanxing.registry.models import AnnualData

MONEY_MAX = 100_000_000  # 万元: one trillion yuan is certainly a typing error
TONNES_MAX = 1_000_000
LAND_MAX_MU = 100_000
STAFF_MAX = 1_000_000

KIND_NOTES = {
    "uscc": "18位统一社会信用代码（GB 32100-2015），末位为校验位",
    "text": "文字",
    "number": "数字，可带千分位逗号；不能为负数",
    "integer": "整数；不能为负数",
    "date": "日期，如 2014-05-01、2014/5/1、2014年5月1日 或 Excel 日期",
    "area": "数字；单位由表头括号中的「亩」或「㎡」决定（1亩 = 10000/15 ㎡）",
    "scale": "「规上」或「规下」",
    "tags": "多个标签用顿号、逗号或分号分隔",
}


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str = "number"
    unit: str = ""
    required: bool = True  # the header must be present (cells may still be empty)
    maximum: float | None = None
    note: str = ""

    @property
    def header(self) -> str:
        """The header the template writes: the label with its unit."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def explanation(self) -> str:
        parts = [self.note, KIND_NOTES.get(self.kind, "")]
        if self.maximum is not None:
            parts.append(f"不超过 {self.maximum:,.0f}{self.unit if self.kind != 'area' else '亩'}")
        return "；".join(p for p in parts if p)


@dataclass(frozen=True)
class Source:
    id: str
    label: str
    department: str
    columns: tuple[Column, ...]
    description: str
    # the columns that identify a row: a second row with the same values is an error
    key: tuple[str, ...] = ("uscc",)
    # the enterprise must already be in the registry
    known_enterprises: bool = True

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)

    @property
    def annual_fields(self) -> list[str]:
        """The ``AnnualData`` fields this source sets (env adds their computed total)."""
        fields = [c.id for c in self.columns if c.id in AnnualData.FIELDS]
        if self.id == "env":
            fields.insert(fields.index("emission_rights"), "emissions")
        return fields


CODE = Column("uscc", "统一社会信用代码", "uscc")
NAME = Column("name", "企业名称", "text", required=False, note="仅供核对；以统一社会信用代码为准")


def money(column_id: str, label: str, note: str = "") -> Column:
    return Column(column_id, label, unit="万元", maximum=MONEY_MAX, note=note)


def tonnes(column_id: str, label: str, note: str = "") -> Column:
    return Column(column_id, label, unit="吨", maximum=TONNES_MAX, note=note)


SOURCES: dict[str, Source] = {
    source.id: source
    for source in (
        Source(
            "land",
            "自然资源",
            "自然资源和规划局",
            (
                Column("uscc", "统一社会信用代码", "uscc", note="宗地权利人"),
                NAME,
                Column("certificate_no", "不动产权证号", "text"),
                Column("area", "土地面积", "area", unit="亩", maximum=LAND_MAX_MU),
                Column("use", "用途", "text", note="如 工业用地；留空则保持原用途（新宗地为工业用地）"),
                Column("tenant", "出租给", "uscc", note="承租企业的统一社会信用代码；未出租则留空"),
                Column("lease_area", "出租面积", "area", unit="亩", maximum=LAND_MAX_MU),
            ),
            "每行一宗地；一宗地出租给多家企业时，每个承租方占一行（宗地信息相同）。"
            "出租视为在导入年度内有效。",
            key=("certificate_no", "tenant"),
        ),
        Source(
            "tax",
            "税务",
            "税务局",
            (CODE, NAME, money("tax", "实缴税金"), money("social_insurance", "社保费")),
            "每家企业一行：年度实缴税金与社保费。",
        ),
        Source(
            "stats",
            "统计",
            "统计局",
            (
                CODE,
                NAME,
                Column("scale", "规模", "scale", note="填写后更新企业库中的规模；留空则不变"),
                money("output_value", "工业总产值"),
                money("sales", "销售收入"),
                money("revenue", "主营业务收入"),
                money("value_added", "工业增加值"),
                Column("employees", "年平均职工人数", "integer", unit="人", maximum=STAFF_MAX),
                money("rd", "研发经费"),
                Column("energy_tce", "综合能耗", unit="吨标准煤", maximum=MONEY_MAX),
            ),
            "每家企业一行：年度统计数据。",
        ),
        Source(
            "power",
            "电力",
            "供电公司",
            (
                CODE,
                Column("meter", "电表户号", "text"),
                Column("electricity", "用电量", unit="万千瓦时", maximum=MONEY_MAX),
            ),
            "每个电表一行；同一企业的多个电表自动合计。",
            key=("meter",),
        ),
        Source(
            "env",
            "环保",
            "生态环境分局",
            (
                CODE,
                tonnes("cod", "COD"),
                tonnes("ammonia", "氨氮"),
                tonnes("so2", "SO2"),
                tonnes("nox", "NOx"),
                tonnes("emission_rights", "排污权"),
            ),
            "每家企业一行；主要污染物排放量按 COD、氨氮、SO2、NOx 之和自动计算。",
        ),
        Source(
            "registry",
            "企业名录",
            "经信局",
            (
                CODE,
                Column("name", "企业名称", "text", note="新企业必填"),
                Column("town", "所属镇街", "text", note="镇街名称或代码；新企业必填"),
                Column("industry", "行业代码", "text", note="GB/T 4754-2017 四位小类代码；新企业必填"),
                Column("scale", "规模", "scale", note="留空：新企业为规下，已有企业不变"),
                Column("founded", "成立日期", "date"),
                Column("tags", "标签", "tags", note="填写后替换企业的全部标签；留空则不变"),
            ),
            "新增或修改企业：统一社会信用代码已在企业库中的为修改（空白单元格不改），否则为新增。",
            known_enterprises=False,
        ),
    )
}


def get_source(source_id: str) -> Source:
    try:
        return SOURCES[source_id]
    except KeyError:
        names = "、".join(f"{s.id}（{s.label}）" for s in SOURCES.values())
        raise KeyError(f"未知的数据来源「{source_id}」，可用：{names}") from None
