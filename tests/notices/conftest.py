from tests.programs.conftest import figures, policy  # noqa: F401 (fixtures)
