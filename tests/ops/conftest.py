import pytest


@pytest.fixture
def industries(transactional_db):
    """Tests in real transactions empty every table after each; put back the industry
    classification the migration loaded (as the browser tests do)."""
    from zhuanxing.registry.industries import load_industry_table
    from zhuanxing.registry.models import Industry

    if not Industry.objects.exists():
        load_industry_table(Industry)
