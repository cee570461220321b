"""Staff pick an enterprise by typing its name or credit code: the suggestion endpoint answers
only with enterprises the user may see, and the forms still check the choice on the server."""

import pytest
from django.urls import reverse

from tests.programs.conftest import figures, policy  # noqa: F401 (fixtures)
from zhuanxing.programs.models import Application

pytestmark = pytest.mark.django_db

SUGGEST = reverse("registry:enterprise_suggest")


def suggested(client, typed: str) -> str:
    return client.get(SUGGEST, {"field": "enterprise", "enterprise": typed}).content.decode()


def test_staff_find_an_enterprise_by_part_of_its_name_or_the_start_of_its_code(district, client_for):
    staff = client_for("bureau")
    by_name = suggested(staff, "精细化工")
    assert (
        f'<option value="{district["chemicals"].uscc}">宁波澥浦精细化工有限公司 · 澥浦镇</option>' in by_name
    )
    assert "恒达轴承" not in by_name
    assert "宁波澥浦精细化工有限公司" in suggested(staff, district["chemicals"].uscc[:10])
    assert "<option" not in suggested(staff, "宁")  # one character is too little to search on


def test_an_enterprise_user_cannot_find_other_enterprises(district, client_for):
    firm = client_for("enterprise")  # 恒达轴承's user
    assert "<option" not in suggested(firm, "精细化工")
    assert "<option" not in suggested(firm, district["chemicals"].uscc)
    assert "恒达轴承" in suggested(firm, "恒达")


def test_a_town_official_finds_only_the_towns_enterprises(district, client_for):
    town = client_for("town")  # 骆驼街道
    assert "<option" not in suggested(town, "精细化工")
    assert "宁波骆驼紧固件厂" in suggested(town, "紧固件")


def test_experts_may_not_search_the_registry(district, client_for):
    assert client_for("expert").get(SUGGEST, {"q": "宁波"}).status_code == 403


def test_staff_posting_a_demand_choose_the_enterprise_with_the_picker(district, client_for):
    page = client_for("bureau").get(reverse("techmarket:demand_create")).content.decode()
    assert f'hx-get="{SUGGEST}?field=enterprise"' in page and 'list="id_enterprise-options"' in page
    assert '<datalist id="id_enterprise-options"></datalist>' in page
    assert 'type="number"' not in page.split('name="enterprise"')[0].rsplit("<input", 1)[1]


def test_staff_flagging_an_enterprise_pick_it_with_the_picker(district, client_for):
    page = client_for("bureau").get(reverse("evaluation:run_list")).content.decode()
    assert f'hx-get="{SUGGEST}?field=uscc"' in page and '<datalist id="id_uscc-options">' in page


def test_a_paper_application_is_for_the_enterprise_picked_and_a_made_up_code_is_refused(
    district,
    users,
    policy,  # noqa: F811 (the fixture imported above)
    client_for,
):
    url = reverse("programs:application_create", args=[policy.pk, "tech"])
    staff = client_for("bureau")
    refused = staff.get(url, {"uscc": "91330211MA2999999X"}).content.decode()
    assert "企业库中没有该企业，请从提示中选择" in refused and "申报企业" not in refused
    chosen = staff.get(url, {"uscc": district["bearings"].uscc.lower()}).content.decode()
    assert "申报企业：宁波恒达轴承有限公司" in chosen
    assert not Application.objects.exists()
