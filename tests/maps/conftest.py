import pytest


@pytest.fixture
def certs(district):
    from zhuanxing.registry.models import LandParcel

    bearings, chemicals = LandParcel.objects.order_by("certificate_no")
    return {"bearings": bearings.certificate_no, "chemicals": chemicals.certificate_no}


@pytest.fixture(autouse=True)
def fresh_map_index():
    """The page's parcel index lives in memory between requests; each test starts without it."""
    from zhuanxing.maps import selectors

    selectors._INDEX_CACHE.clear()
    selectors._LAST_CHECK.clear()
    selectors._SUMMARY_CACHE.clear()
    yield
    selectors._INDEX_CACHE.clear()
    selectors._LAST_CHECK.clear()
    selectors._SUMMARY_CACHE.clear()
