"""Helpers for the campaign tests: records built through the same path as the pages and the API."""

from __future__ import annotations

import pytest

from zhuanxing.campaigns.forms import save_input
from zhuanxing.campaigns.records import SPECS


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded import files are kept under MEDIA_ROOT until confirmed: keep them out of var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def save(users):
    """``save("automation", {...cells...})`` as bureau staff (or ``user=`` another role)."""

    def _save(kind: str, cells: dict, *, user=None, record=None, partial=False):
        return save_input(
            user=user or users["bureau"], spec=SPECS[kind], cells=cells, record=record, partial=partial
        )

    return _save


def project_cells(enterprise, **changes) -> dict:
    """A 机器换人 project's cells as a form or a spreadsheet row gives them."""
    return {
        "uscc": enterprise.uscc,
        "name": "焊接机器人工作站",
        "year": "2025",
        "investment": "500",
        "robots": "4",
        "staff_before": "40",
        "staff_after": "32",
    } | changes
