from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhuanxing.accounts"
    verbose_name = _("用户与权限")

    def ready(self):
        from django.contrib.auth import signals

        signals.user_logged_in.connect(_logged_in, dispatch_uid="audit.login")
        signals.user_login_failed.connect(_login_failed, dispatch_uid="audit.login_failed")
        signals.user_logged_out.connect(_logged_out, dispatch_uid="audit.logout")


# Security events of 等保's audit (time, user, event, result, source address): the address comes
# from the request being served (``AuditAddressMiddleware``).


def _logged_in(sender, request, user, **_):
    from zhuanxing.accounts.audit import record_change
    from zhuanxing.accounts.middleware import start_session_clock

    start_session_clock(request.session)
    record_change(actor=user, action="登录", obj=user)


def _login_failed(sender, credentials, request=None, **_):
    from zhuanxing.accounts.audit import record_account_event

    record_account_event("登录失败", str(credentials.get("username", "")))


def _logged_out(sender, request, user, **_):
    from zhuanxing.accounts.audit import record_change

    if user is not None and not request.session.get("_zx_timed_out"):
        record_change(actor=user, action="退出登录", obj=user)
