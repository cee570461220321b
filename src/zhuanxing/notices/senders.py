"""Where messages go besides the site (``settings.ZHUANXING_NOTICE_SENDERS``).

A sender is a callable taking a list of saved ``Notice`` rows; it runs after the transaction
that made them commits, and a failing sender is logged, never raised (the in-site message is
already there). To add a 浙政钉 work notification, write ``def send(notices): ...`` that calls
its API and add its dotted path to the setting; no app changes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail

log = logging.getLogger(__name__)


def email(notices) -> None:
    """E-mail through Django's mail settings, only when ``ZHUANXING_NOTICE_EMAIL`` is on and the
    recipient has an address."""
    if not getattr(settings, "ZHUANXING_NOTICE_EMAIL", False):
        return
    site = getattr(settings, "ZHUANXING_SITE_URL", "").rstrip("/")
    messages = [
        (
            f"[转型] {n.title}",
            "\n\n".join(x for x in (n.body, f"{site}{n.url}" if n.url else "") if x),
            None,
            [n.recipient.email],
        )
        for n in notices
        if n.recipient.email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=False)
