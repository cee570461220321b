from django.contrib import admin

from zhuanxing.accounts.admin_audit import AuditedAdmin, ReadOnlyAdmin
from zhuanxing.registry.models import (
    AnnualData,
    AnnualDataChange,
    Enterprise,
    ImportBatch,
    Industry,
    IndustryCluster,
    LandParcel,
    Lease,
    Tag,
    Town,
)


@admin.register(Town)
class TownAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "order")
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(IndustryCluster)
class IndustryClusterAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "industry_prefixes", "order")
    list_filter = ("kind",)


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    search_fields = ("name",)


class LandParcelInline(admin.TabularInline):
    model = LandParcel
    fk_name = "owner"
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ("uscc", "name", "town", "industry", "scale", "status")
    list_filter = ("scale", "status", "town")
    search_fields = ("uscc", "name")
    autocomplete_fields = ("industry",)
    filter_horizontal = ("tags",)
    list_select_related = ("town", "industry")
    inlines = [LandParcelInline]


@admin.register(LandParcel)
class LandParcelAdmin(AuditedAdmin):
    list_display = ("certificate_no", "owner", "area_mu", "use", "town")
    search_fields = ("certificate_no", "owner__name", "owner__uscc")
    autocomplete_fields = ("owner",)


@admin.register(Lease)
class LeaseAdmin(AuditedAdmin):
    list_display = ("parcel", "tenant", "area_mu", "start", "end")
    autocomplete_fields = ("parcel", "tenant")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """A batch is undone by its rollback on the site, never deleted (that would take its history)."""

    list_display = ("created_at", "source", "year", "file_name", "created_by", "state")
    list_filter = ("source", "state", "year")


@admin.register(AnnualData)
class AnnualDataAdmin(ReadOnlyAdmin):
    """Read-only here: official figures change through imports or audited corrections."""

    list_display = ("enterprise", "year", "tax", "sales", "value_added", "employees", "energy_tce")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)


@admin.register(AnnualDataChange)
class AnnualDataChangeAdmin(ReadOnlyAdmin):
    list_display = ("annual_data", "field", "old_value", "new_value", "batch")
    list_select_related = ("annual_data__enterprise", "batch")
