import pytest


@pytest.fixture
def certs(district):
    from zhuanxing.registry.models import LandParcel

    bearings, chemicals = LandParcel.objects.order_by("certificate_no")
    return {"bearings": bearings.certificate_no, "chemicals": chemicals.certificate_no}
