from tests.techmarket.fixtures import demand, market  # noqa: F401
