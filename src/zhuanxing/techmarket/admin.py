from django.contrib import admin

from zhuanxing.accounts.admin_audit import AuditedAdmin, ReadOnlyAdmin
from zhuanxing.techmarket import services
from zhuanxing.techmarket.models import Achievement, Contract, Demand, Event, Expert, Institution, Match


class ProfileAdmin(AuditedAdmin):
    """Profiles are kept here by staff; saving goes through the audited service, which updates the index."""

    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.profile_save(actor=request.user, profile=obj)


@admin.register(Institution)
class InstitutionAdmin(ProfileAdmin):
    list_display = ["name", "kind", "region", "confirmed_on", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["enterprise", "recognition", "contact_user"]


@admin.register(Expert)
class ExpertAdmin(ProfileAdmin):
    list_display = [
        "name",
        "title",
        "affiliation",
        "institution",
        "confirmed_on",
        "is_advisor",
        "is_reviewer",
        "active",
    ]
    list_filter = ["is_advisor", "is_reviewer", "active"]
    raw_id_fields = ["user", "institution"]


@admin.register(Achievement)
class AchievementAdmin(ProfileAdmin):
    list_display = ["name", "field", "maturity", "price", "valid_until", "active"]
    list_filter = ["field", "maturity", "active"]
    raw_id_fields = ["institution", "expert"]


for model in (Demand, Match, Contract, Event):
    admin.site.register(model, ReadOnlyAdmin)
