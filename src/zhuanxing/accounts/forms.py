from django import forms
from django.contrib.auth.forms import AuthenticationForm

from zhuanxing.accounts import throttle
from zhuanxing.accounts.audit import record_account_event


class ThrottledLoginForm(AuthenticationForm):
    """The standard login form, refusing a username+address after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误。",
        "locked_out": "登录失败次数过多，请15分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        if throttle.is_locked_out(username, address):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if throttle.note_failure(username, address):
                record_account_event("登录锁定", username, address=address)
            raise
        throttle.clear_failures(username, address)
        return cleaned
