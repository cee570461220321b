from django.contrib import admin

from zhuanxing.accounts.admin_audit import ReadOnlyAdmin
from zhuanxing.evaluation.models import EvaluationFlag, EvaluationResult, EvaluationRun, Objection


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("year", "version", "scheme_id", "state", "created_by", "created_at")
    list_filter = ("state", "year")


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "enterprise", "group", "total", "rank", "computed_class", "regraded_class")
    list_filter = ("run", "computed_class")
    list_select_related = ("run", "enterprise")
    search_fields = ("enterprise__name", "enterprise__uscc")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("result", "field", "state", "submitted_at", "handled_by")
    list_filter = ("state",)


@admin.register(EvaluationFlag)
class EvaluationFlagAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "year", "kind", "note")
    list_filter = ("kind", "year")
