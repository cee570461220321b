from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhuanxing.accounts.admin_audit import AuditedAdminMixin, ReadOnlyAdmin
from zhuanxing.accounts.models import AuditEntry, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    """Role changes and promotions are audited like every other change of an account."""

    list_display = ("username", "display_name", "role", "department", "town", "enterprise", "is_active")
    list_filter = ("role", "department", "is_active")
    autocomplete_fields = ("enterprise",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色", {"fields": ("role", "department", "display_name", "town", "enterprise")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "seq",
        "at",
        "actor_name",
        "source_address",
        "action",
        "object_type",
        "object_repr",
        "reason",
    )
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "reason", "actor_name")
