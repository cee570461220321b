from django.contrib import admin

from zhuanxing.accounts.admin_audit import ReadOnlyAdmin
from zhuanxing.programs.models import (
    Application,
    Attachment,
    ConflictDeclaration,
    Payment,
    Policy,
    PublicObjection,
    ReviewAssignment,
    ReviewerProfile,
)


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "year", "budget", "published", "opens_on", "closes_on")
    list_filter = ("published", "year")
    search_fields = ("code", "name", "doc_number")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "enterprise",
        "policy",
        "clause_label",
        "channel",
        "state",
        "computed",
        "approved",
        "paid",
    )
    list_filter = ("state", "channel", "policy")
    list_select_related = ("enterprise", "policy")
    search_fields = ("number", "enterprise__name", "enterprise__uscc")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("application", "stage", "amount", "paid_on", "voucher", "recorded_by")
    list_select_related = ("application__enterprise",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "reviewer", "state", "opinion", "reviewed_at")
    list_filter = ("state", "opinion")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("reviewer", "enterprise", "relation", "declared_at")


@admin.register(PublicObjection)
class PublicObjectionAdmin(ReadOnlyAdmin):
    list_display = ("application", "name", "state", "submitted_at", "handled_by")
    list_filter = ("state",)


admin.site.register(ReviewerProfile, ReadOnlyAdmin)
admin.site.register(Attachment, ReadOnlyAdmin)
