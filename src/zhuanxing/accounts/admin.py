from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhuanxing.accounts.models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "department", "town", "enterprise", "is_active")
    list_filter = ("role", "department", "is_active")
    autocomplete_fields = ("enterprise",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色", {"fields": ("role", "department", "display_name", "town", "enterprise")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "reason")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
