"""The workbench's JSON endpoints: the signed-in user's to-dos."""

from __future__ import annotations

from ninja import Router, Schema

from zhuanxing.web import search as search_
from zhuanxing.web import todos

router = Router(tags=["工作台"])


class TodoOut(Schema):
    kind: str
    title: str
    count: int
    oldest: str | None
    due: str | None
    url: str


class TodosOut(Schema):
    items: list[TodoOut]


@router.get("/todos", response=TodosOut, summary="我的待办")
def todo_list(request):
    """What waits for the signed-in user: each line with its count, the oldest item's date, the
    nearest deadline and the page where the action is taken."""
    return {"items": [item.as_dict() for item in todos.todos_for(request.user, request)]}


class HitOut(Schema):
    kind: str
    kind_label: str
    title: str
    detail: str
    url: str


class SearchOut(Schema):
    q: str
    items: list[HitOut]


@router.get("/search", response=SearchOut, summary="全局搜索")
def search(request, q: str = ""):
    """Enterprises (name, former name, credit code, pinyin initials), policies, demands, experts
    and achievements the signed-in user may see; at most 10 of each kind."""
    cleaned = search_.clean_query(q)
    return {"q": cleaned, "items": [hit.as_dict() for hit in search_.search(request.user, cleaned)]}
