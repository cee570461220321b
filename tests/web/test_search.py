"""Global search: what each role finds, pinyin initials and former names, and bad input."""

import pytest

from zhuanxing import pinyin
from zhuanxing.registry import services as registry_services
from zhuanxing.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def titles(client, q):
    answer = client.get("/api/search", {"q": q})
    assert answer.status_code == 200
    return [(item["kind"], item["title"]) for item in answer.json()["items"]]


def test_pinyin_initials_of_a_name():
    assert pinyin.initials("宁波金丰") == "nbjf"
    assert pinyin.initials("ABC（宁波）3D打印") == "abcnb3ddy"
    assert pinyin.initials_of("宁波金丰", "镇海金丰") == "nbjf zhjf"


def test_enterprises_by_name_initials_code_and_former_name(users, district, client_for):
    bearings = district["bearings"]
    assert bearings.name_initials == "nbhdzcyxgs"  # kept by save()
    staff = client_for("bureau")
    assert ("enterprise", "宁波恒达轴承有限公司") in titles(staff, "恒达")
    assert ("enterprise", "宁波恒达轴承有限公司") in titles(staff, "nbhd")
    assert ("enterprise", "宁波恒达轴承有限公司") in titles(staff, bearings.uscc)
    assert ("enterprise", "宁波恒达轴承有限公司") in titles(staff, bearings.uscc[:10].lower())
    registry_services.enterprise_update(
        actor=users["bureau"], enterprise=bearings, name="宁波恒达精密轴承有限公司"
    )
    renamed = Enterprise.objects.get(pk=bearings.pk)
    assert renamed.former_names == "宁波恒达轴承有限公司" and "nbhdzcyxgs" in renamed.name_initials
    assert ("enterprise", "宁波恒达精密轴承有限公司") in titles(staff, "恒达轴承")  # by the former name
    assert ("enterprise", "宁波恒达精密轴承有限公司") in titles(staff, "nbhdjm")
    page = staff.get("/search/", {"q": "恒达"}).content.decode()
    assert "/enterprises/" + bearings.uscc + "/" in page and "曾用名" in page


def test_each_user_finds_only_what_they_may_see(users, district, client_for):
    """The town official finds only its town's enterprises, the enterprise user only its own,
    the expert none (no registry access); everyone finds the published policies."""
    assert [t for k, t in titles(client_for("town"), "宁波") if k == "enterprise"] == sorted(
        e.name for e in Enterprise.objects.filter(town=district["luotuo"])
    )
    assert [t for k, t in titles(client_for("enterprise"), "宁波") if k == "enterprise"] == [
        "宁波恒达轴承有限公司"
    ]
    assert [t for k, t in titles(client_for("expert"), "宁波") if k == "enterprise"] == []
    assert client_for(None).get("/api/search", {"q": "宁波"}).status_code == 401


@pytest.mark.parametrize(
    "q", ["\x00", "a\x00b", "%", "_", "\\", "%_\\", "'; DROP TABLE x; --", "宁" * 10_000, " ", ""]
)
def test_any_input_is_safe(users, district, client_for, q):
    client = client_for("bureau")
    api, page = client.get("/api/search", {"q": q}), client.get("/search/", {"q": q})
    if "\x00" in q:  # a NUL byte is refused for every request (RejectNulMiddleware), in Chinese
        assert api.status_code == page.status_code == 400
        assert "NUL" in str(api.json()["errors"])
        return
    assert api.status_code == 200
    assert page.status_code == 200
    if q in ("%", "_", "\\"):  # matched literally: no enterprise name holds these
        assert [k for k, _t in titles(client, q) if k == "enterprise"] == []


def test_the_header_has_the_search_box(client_for):
    page = client_for("town").get("/").content.decode()
    assert 'action="/search/"' in page and 'name="keyword"' in page
    found = client_for("town").get("/search/", {"keyword": "恒达"}).content.decode()
    assert "宁波恒达轴承有限公司" in found
