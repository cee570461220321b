"""Page-number pagination shared by the list endpoints."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Schema

MAX_PAGE_SIZE = 200


class PageMeta(Schema):
    """The envelope of every paginated list; a list's page schema adds ``items``."""

    page: int
    page_size: int
    count: int
    pages: int


def paginate(queryset: QuerySet, page: int, page_size: int) -> tuple[list, dict]:
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = Paginator(queryset, page_size)
    page_obj = paginator.get_page(page)
    meta = {
        "page": page_obj.number,
        "page_size": page_size,
        "count": paginator.count,
        "pages": paginator.num_pages,
    }
    return list(page_obj.object_list), meta
