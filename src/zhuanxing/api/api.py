"""The JSON API: one NinjaAPI instance, session authentication, one error shape.

Errors always come back as ``{"detail": "...", "errors": {field: [messages]}}``
with Chinese messages, whichever app raised them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from zhuanxing.api.params import ninja_errors
from zhuanxing.campaigns.api import router as campaigns_router
from zhuanxing.dashboard.api import router as dashboard_router
from zhuanxing.evaluation.api import router as evaluation_router
from zhuanxing.imports.api import router as imports_router
from zhuanxing.maps.api import router as maps_router
from zhuanxing.notices.api import router as notices_router
from zhuanxing.programs.api import router as programs_router
from zhuanxing.proposals.api import router as proposals_router
from zhuanxing.registry.api import router as registry_router
from zhuanxing.techmarket.api import router as techmarket_router
from zhuanxing.web.api import router as web_router

ERROR_STATUSES = {
    "400": "请求有误（如参数含非法字符、请求体无法解析）",
    "401": "请先登录",
    "403": "没有权限（或缺少 CSRF 令牌）",
    "404": "未找到",
    "422": "参数或数据不符合要求（逐字段说明）",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "中文说明"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail", "errors"],
}


class DistrictAPI(NinjaAPI):
    """Every operation documents the error answers every operation can give, in the one shape."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )
        return schema


api = DistrictAPI(
    title="zhuanxing 转型 API",
    version="1",
    description="镇街、企业库、年度数据等接口。所有接口使用登录会话认证；写操作需要 CSRF 令牌。",
    auth=django_auth,
    urls_namespace="api",
)


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = validation_messages(exc)
    detail = "；".join(m for messages in errors.values() for m in messages)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def on_bad_parameters(request, exc: NinjaValidationError):
    """Query, path and body parameters that do not parse: pydantic's messages in Chinese."""
    detail, errors = ninja_errors(exc.errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """ninja's own refusals (an unparsable body, a wrong content type) in Chinese."""
    message = str(exc)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        message = "无法解析请求体（须为 JSON 对象）" if "body" in message.lower() else "请求有误"
    return api.create_response(request, {"detail": message, "errors": {}}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "没有权限", "errors": {}}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "未找到", "errors": {}}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录", "errors": {}}, status=401)


api.add_router("/registry/", registry_router)
api.add_router("/imports/", imports_router)
api.add_router("/evaluation/", evaluation_router)
api.add_router("/campaigns/", campaigns_router)
api.add_router("/programs/", programs_router)
api.add_router("/techmarket/", techmarket_router)
api.add_router("/proposals/", proposals_router)
api.add_router("/notices/", notices_router)
api.add_router("/", web_router)
api.add_router("/", dashboard_router)
api.add_router("/map/", maps_router)
