"""The workbench's tests reuse the programs fixtures (a published policy with yearly figures)."""

from tests.programs.conftest import figures, policy  # noqa: F401
