"""政策兑现 award engine: support policies as data, awards computed exactly.

Pure (polars, PyYAML, decimal): no Django. The platform and the ``zhuanxing award``
command call the same functions::

    policy = load_policy(Path("policy.yaml"))                # or YAML text, or a mapping
    results = compute_awards(policy, facts, applications)    # frames, rows or prepared inputs
    preview_award(policy, "tech-renovation", facts_row, fields)  # step 1 with its arithmetic
    automatic_matches(policy, facts)                         # 免申即享 candidates
"""

from zhuanxing.awards.compute import AwardResult, automatic_matches, compute_awards, compute_frame
from zhuanxing.awards.data import Applications, Facts, prepare_applications, prepare_facts, prepare_inputs
from zhuanxing.awards.errors import AwardError, DataError, DataProblem, PolicyError, PolicyProblem
from zhuanxing.awards.io import read_inputs, results_frame, write_results
from zhuanxing.awards.policy import Clause, Policy, load_policy, shipped_policies, validate_policy
from zhuanxing.awards.preview import Assessment, assess, preview_award

__all__ = [
    "Applications",
    "Assessment",
    "AwardError",
    "AwardResult",
    "Clause",
    "DataError",
    "DataProblem",
    "Facts",
    "Policy",
    "PolicyError",
    "PolicyProblem",
    "assess",
    "automatic_matches",
    "compute_awards",
    "compute_frame",
    "load_policy",
    "prepare_applications",
    "prepare_facts",
    "prepare_inputs",
    "preview_award",
    "read_inputs",
    "results_frame",
    "shipped_policies",
    "validate_policy",
    "write_results",
]
