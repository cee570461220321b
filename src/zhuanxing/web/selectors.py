"""The few figures the home page shows each role."""

from __future__ import annotations

from django.db.models import Count, Q

from zhuanxing.registry.access import enterprises_visible_to
from zhuanxing.registry.models import Enterprise


def home_figures(user) -> dict:
    visible = enterprises_visible_to(user)
    return visible.aggregate(
        enterprises=Count("id"),
        above_scale=Count("id", filter=Q(scale=Enterprise.Scale.ABOVE)),
        operating=Count("id", filter=Q(status=Enterprise.Status.OPERATING)),
    )
