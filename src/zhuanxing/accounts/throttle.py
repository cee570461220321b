"""Throttling of failed logins, per username and client address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def is_locked_out(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.ZHUANXING_LOGIN_MAX_FAILURES


def note_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, settings.ZHUANXING_LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.ZHUANXING_LOGIN_LOCKOUT_SECONDS)


def clear_failures(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
