"""The policy file printed in issue 6, verbatim, end to end through ``zhuanxing award``,
one hand-computed application per rule it exercises."""

from __future__ import annotations

import csv
from pathlib import Path

from zhuanxing.awards.cli import award

from .conftest import E1, E2, E3

ISSUE_POLICY = """\
id: zhenhai-manufacturing-2024
name: 镇海区支持制造业领域高质量发展政策
doc_number: 镇政发〔2023〕34号
department: 区经信局
year: 2024                         # an application of another year is a data error
budget: 3000                       # 万元, optional
facts:                             # FACTS columns the conditions use: number | boolean (是/否, true/false, 1/0) | text
  scale: {label: 规模, type: text}
  high_tech: {label: 高新技术企业, type: boolean}
  rd: {label: 研发经费, type: number}
  sales: {label: 销售收入, type: number}
clauses:
  - id: tech-renovation
    label: 技术改造项目补助
    eligible: "scale = '规上'"      # SQL condition over the applicant's FACTS row (polars SQL, as in evaluation schemes); null is false
    fields:                         # what the applicant fills in: type number (default) | text | date
      - {id: equipment_investment, label: 设备投资额, unit: 万元, required: true}
    award:
      type: percentage              # percentage | per_unit | fixed | bands | level_difference
      base: equipment_investment
      rate: 0.06
      min_base: 200                 # base below it: 0, reason 未达到起点
      cap: 200
      uplifts:                      # the first whose condition holds replaces rate and/or cap (what it omits stays)
        - {when: "high_tech", rate: 0.08, cap: 300}
    veto:
      - {label: 研发投入未达标, when: "scale = '规上' AND rd < 100 AND rd < 0.02 * sales"}
    per_enterprise_per_year: 2
  - id: energy-saving
    label: 节能改造项目补助
    fields:
      - {id: energy_saved_tce, label: 节能量, unit: 吨标准煤, required: true}
      - {id: project_investment, label: 项目投资额, unit: 万元}
    award: {type: per_unit, base: energy_saved_tce, rate: 0.04, cap: 50, share_cap: {of: project_investment, share: 0.3}}
  - id: engineering-centre
    label: 工程（技术）中心认定奖励
    fields:
      - {id: new_level, label: 认定级别, type: text, required: true}
      - {id: previous_level, label: 原有级别, type: text}
    award: {type: level_difference, level: new_level, previous: previous_level,
            amounts: {区级: 5, 市级: 10, 省级: 50, 国家级: 200}}
  - id: digital-workshop
    label: 数字化车间
    fields:
      - {id: project_investment, label: 项目投资额, unit: 万元, required: true}
    award: {type: bands, base: project_investment, marginal: false,
            bands: [{upto: 500, rate: 0.03}, {upto: 1000, rate: 0.04}, {rate: 0.05}], cap: 500}
  - id: team
    label: 企业技术创新团队
    award: {type: fixed, amount: 20}
exclusive: [[tech-renovation, digital-workshop]]   # 从高不重复: one project is paid under one clause of a group only
"""

FACTS = f"""\
统一社会信用代码,规模,高新技术企业,研发经费（万元）,销售收入（万元）
{E1},规上,是,500,10000
{E2},规上,否,50,5000
{E3},规下,否,,
"""

HEADER = "申报编号,统一社会信用代码,条款,年度,提交日期,项目编号,设备投资额（万元）,节能量（吨标准煤）,项目投资额（万元）,认定级别,原有级别"
APPLICATIONS = [
    # id, uscc, clause, submitted, project, equipment, energy, investment, level, previous -> expected
    (("A1", E1, "tech-renovation", "2024-03-01", "P1", "3000", "", "", "", ""), ("240.00", "240.00", "")),
    (
        ("A2", E1, "digital-workshop", "2024-03-02", "P1", "", "", "800", "", ""),
        ("32.00", "0.00", "从高不重复"),
    ),
    (
        ("A3", E2, "tech-renovation", "2024-03-01", "", "1000", "", "", "", ""),
        ("0.00", "0.00", "研发投入未达标"),
    ),
    (
        ("A4", E3, "tech-renovation", "2024-03-01", "", "1000", "", "", "", ""),
        ("0.00", "0.00", "技术改造项目补助不符合申报条件"),
    ),
    (("A5", E3, "energy-saving", "2024-03-05", "", "", "100", "10", "", ""), ("3.00", "3.00", "")),
    (("A6", E3, "energy-saving", "2024-03-05", "", "", "", "10", "", ""), ("0.00", "0.00", "节能量未填写")),
    (("A7", E1, "engineering-centre", "2024-03-05", "", "", "", "", "省级", "市级"), ("40.00", "40.00", "")),
    (("A8", E1, "team", "2024-03-05", "", "", "", "", "", ""), ("20.00", "20.00", "")),
    (
        ("A9", E1, "tech-renovation", "2024-03-01", "P2", "150", "", "", "", ""),
        ("0.00", "0.00", "未达到起点"),
    ),
    (("A10", E1, "tech-renovation", "2024-03-03", "P3", "2000", "", "", "", ""), ("160.00", "160.00", "")),
    (
        ("A11", E1, "tech-renovation", "2024-03-04", "P4", "1000", "", "", "", ""),
        ("80.00", "0.00", "超过年度限额"),
    ),
]
# A1: 高新 -> 8%, cap 300: 3000 × 0.08 = 240. A2: 500 < 800 ≤ 1000 -> 4%: 32, loses project P1 to A1.
# A3: rd 50 < 100 and < 2% of 5000. A4: 规下. A5: min(100 × 0.04, 50, 10 × 0.3) = 3.
# A7: 50 − 10. A10, A11: E1's third and fourth non-zero tech-renovation awards after A1 (240):
# the two largest (240, 160) stay. Sum 463 ≤ budget 3000.


def test_the_issue_example_end_to_end(tmp_path: Path):
    (tmp_path / "policy.yaml").write_text(ISSUE_POLICY, encoding="utf-8")
    (tmp_path / "facts.csv").write_text(FACTS, encoding="utf-8")
    rows = "\n".join(",".join(cells[:3] + ("2024",) + cells[3:]) for cells, _ in APPLICATIONS)
    (tmp_path / "apps.csv").write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    argv = ["--policy", str(tmp_path / "policy.yaml"), "--facts", str(tmp_path / "facts.csv")]
    assert award([*argv, "--applications", str(tmp_path / "apps.csv"), "--output", str(output)]) == 0
    with output.open(encoding="utf-8", newline="") as handle:
        found = list(csv.reader(handle))[1:]
    expected = [[cells[0], cells[1], cells[2], *amounts] for cells, amounts in APPLICATIONS]
    assert found == expected
