import pytest

STATS_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "规模",
    "工业总产值（万元）",
    "销售收入（万元）",
    "主营业务收入（万元）",
    "工业增加值（万元）",
    "年平均职工人数（人）",
    "研发经费（万元）",
    "综合能耗（吨标准煤）",
]
TAX_HEADER = ["统一社会信用代码", "企业名称", "实缴税金（万元）", "社保费（万元）"]


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Uploaded files go to a scratch folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def codes(district):
    return {name: district[name].uscc for name in ("bearings", "chemicals", "fasteners", "garments")}
