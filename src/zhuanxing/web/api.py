"""The workbench's JSON endpoints: the signed-in user's to-dos."""

from __future__ import annotations

from ninja import Router, Schema

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
