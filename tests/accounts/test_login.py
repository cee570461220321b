"""Login: argon2 hashes, throttled failures, role shown after login."""

import pytest
from django.urls import reverse

from zhuanxing.accounts.models import Role, User

# The failure counts live in a database table (the ``throttle`` cache), so each test's
# transaction starts and ends them empty.


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2():
    user = User.objects.create_user("zhang", password="a-long-pass-2026", role=Role.BUREAU)
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_login_succeeds_and_shows_the_role(client):
    User.objects.create_user("li", password="a-long-pass-2026", role=Role.BUREAU, display_name="李工")
    response = client.post(
        reverse("accounts:login"), {"username": "li", "password": "a-long-pass-2026"}, follow=True
    )
    body = response.content.decode()
    assert "李工" in body and "经信局工作人员" in body


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_for_that_address(client, settings):
    settings.ZHUANXING_LOGIN_MAX_FAILURES = 3
    User.objects.create_user("wang", password="a-long-pass-2026")
    for _ in range(3):
        response = client.post(reverse("accounts:login"), {"username": "wang", "password": "wrong"})
        assert "用户名或密码错误" in response.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "wang", "password": "a-long-pass-2026"})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(client, settings):
    settings.ZHUANXING_LOGIN_MAX_FAILURES = 2
    User.objects.create_user("zhao", password="a-long-pass-2026")
    client.post(reverse("accounts:login"), {"username": "zhao", "password": "wrong"})
    assert (
        client.post(
            reverse("accounts:login"), {"username": "zhao", "password": "a-long-pass-2026"}
        ).status_code
        == 302
    )
    client.logout()
    client.post(reverse("accounts:login"), {"username": "zhao", "password": "wrong"})
    assert (
        client.post(
            reverse("accounts:login"), {"username": "zhao", "password": "a-long-pass-2026"}
        ).status_code
        == 302
    )
