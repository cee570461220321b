"""Throttling of failed logins, in a store every server process shares (the ``throttle``
cache: a database table unless configured otherwise), counted two ways: per account and
address (the usual lockout), and per address across accounts (one password sprayed over many
usernames)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches


def _store():
    return caches["throttle"]


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _keys(username: str, address: str) -> tuple[str, str]:
    return _key("account", username.strip().lower(), address), _key("address", address)


def is_locked_out(username: str, address: str) -> bool:
    account, spray = _keys(username, address)
    counts = _store().get_many([account, spray])
    return (
        counts.get(account, 0) >= settings.ZHUANXING_LOGIN_MAX_FAILURES
        or counts.get(spray, 0) >= settings.ZHUANXING_LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def _increment(key: str, seconds: int | None = None) -> int:
    store = _store()
    seconds = seconds or settings.ZHUANXING_LOGIN_LOCKOUT_SECONDS
    store.add(key, 0, seconds)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, seconds)
        return 1


def note_failure(username: str, address: str) -> bool:
    """Count one failure; True when this failure is the one that locks."""
    account, spray = _keys(username, address)
    account_count, address_count = _increment(account), _increment(spray)  # both counted, always
    return (
        account_count == settings.ZHUANXING_LOGIN_MAX_FAILURES
        or address_count == settings.ZHUANXING_LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def over_rate(kind: str, address: str, *, limit: int, seconds: int) -> bool:
    """Count one more ``kind`` action from ``address`` in a window of ``seconds``; True once
    the count is past ``limit`` (for the forms anyone may post without signing in)."""
    return _increment(_key(kind, address), seconds) > limit


def clear_failures(username: str, address: str) -> None:
    """A success clears that account's count from that address (not the address's spray count)."""
    _store().delete(_keys(username, address)[0])


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted reverse proxy
    (``ZHUANXING_TRUSTED_PROXIES``), whose X-Forwarded-For is then believed — its last entry
    not added by another trusted proxy. Anyone else's forwarded header is ignored, so nobody
    can pose as another address to lock accounts or hide from the audit."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.ZHUANXING_TRUSTED_PROXIES
    if address not in trusted:
        return address
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    while forwarded and forwarded[-1] in trusted:
        forwarded.pop()
    return forwarded[-1] if forwarded else address
