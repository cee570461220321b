from django.contrib import admin

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
class TownAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "order")
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "industry_prefixes", "order")
    list_filter = ("kind",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


class LandParcelInline(admin.TabularInline):
    model = LandParcel
    fk_name = "owner"
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "town", "industry", "scale", "status")
    list_filter = ("scale", "status", "town")
    search_fields = ("uscc", "name")
    autocomplete_fields = ("industry",)
    filter_horizontal = ("tags",)
    list_select_related = ("town", "industry")
    inlines = [LandParcelInline]


@admin.register(LandParcel)
class LandParcelAdmin(admin.ModelAdmin):
    list_display = ("certificate_no", "owner", "area_mu", "use", "town")
    search_fields = ("certificate_no", "owner__name", "owner__uscc")
    autocomplete_fields = ("owner",)


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ("parcel", "tenant", "area_mu", "start", "end")
    autocomplete_fields = ("parcel", "tenant")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "year", "file_name", "created_by", "state")
    list_filter = ("source", "state", "year")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(AnnualData)
class AnnualDataAdmin(admin.ModelAdmin):
    """Read-only here: official figures change through imports or audited corrections."""

    list_display = ("enterprise", "year", "tax", "sales", "value_added", "employees", "energy_tce")
    list_filter = ("year",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AnnualData._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualDataChange)
class AnnualDataChangeAdmin(admin.ModelAdmin):
    list_display = ("annual_data", "field", "old_value", "new_value", "batch")
    list_select_related = ("annual_data__enterprise", "batch")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
