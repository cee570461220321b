"""Kinds, levels and talent plans are edited here; the records themselves change only through
the pages, the API and the import, which validate and audit every write."""

from django.contrib import admin

from zhuanxing.accounts.admin_audit import AuditedAdmin, ReadOnlyAdmin
from zhuanxing.campaigns.models import LevelPromotion, RecognitionKind, RecognitionLevel, TalentPlan
from zhuanxing.campaigns.records import SPECS


class RecognitionLevelInline(admin.TabularInline):
    model = RecognitionLevel
    extra = 1


@admin.register(RecognitionKind)
class RecognitionKindAdmin(AuditedAdmin):
    list_display = ("name", "code", "counts_as_rd_institution", "policy_id", "clause_id", "order")
    search_fields = ("name", "code")
    inlines = [RecognitionLevelInline]


@admin.register(TalentPlan)
class TalentPlanAdmin(AuditedAdmin):
    list_display = ("name", "code", "tier", "term_years", "order")


@admin.register(LevelPromotion)
class LevelPromotionAdmin(ReadOnlyAdmin):
    list_display = (
        "enterprise",
        "kind",
        "previous_level",
        "new_level",
        "year",
        "clause_id",
        "state",
        "award_ref",
    )
    list_filter = ("state", "kind", "year")


def _read_only_admin(spec) -> type[admin.ModelAdmin]:
    """Records are listed for reference; their year filter and first plain fields as columns."""
    plain = [name for name in spec.fields if not spec.model_field(name).is_relation][:6]
    return type(
        f"{spec.model.__name__}Admin",
        (ReadOnlyAdmin,),
        {"list_display": ("__str__", *plain), "list_filter": ("year",) if "year" in spec.fields else ()},
    )


for spec in SPECS.values():
    admin.site.register(spec.model, _read_only_admin(spec))
