"""Who may import, see and roll back department data. The only place it is decided.

Imports are staff work (经信局 and administrators): they change the official figures
of every enterprise. Town officials do not see the import pages: a batch holds the
whole district's figures, and what concerns their enterprises they already see on the
enterprise pages, with each figure's source. An upload awaiting confirmation belongs
to the session that uploaded it; anyone else gets 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from zhuanxing.accounts.access import access_staff, is_staff_member
from zhuanxing.registry.models import ImportBatch

SESSION_KEY = "imports_uploads"


def may_import(user) -> bool:
    return is_staff_member(user)


def access_imports(user) -> None:
    access_staff(user)


def access_batch(user, pk: int) -> ImportBatch:
    access_imports(user)
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)


def access_upload(request, sha256: str) -> dict:
    """The pending upload ``sha256`` of this session: {"source", "year", "file_name", "suffix"}."""
    access_imports(request.user)
    upload = request.session.get(SESSION_KEY, {}).get(sha256)
    if upload is None:
        raise Http404("没有找到这次上传（可能已导入或已过期），请重新上传")
    return upload
