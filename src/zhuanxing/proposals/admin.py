from django.contrib import admin

from zhuanxing.accounts.admin_audit import AuditedAdmin
from zhuanxing.proposals.models import (
    Assignment,
    CoView,
    Extension,
    Feedback,
    OfficeMember,
    Proposal,
    ReplyDraft,
    ReplyTemplate,
    Unit,
    UnitMember,
)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "kind", "order"]


@admin.register(UnitMember)
class UnitMemberAdmin(AuditedAdmin):
    list_display = ["unit", "user", "is_leader"]
    list_filter = ["unit"]


admin.site.register(OfficeMember, AuditedAdmin)


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    readonly_fields = ["unit", "role", "round", "assigned_on", "due_on", "active", "returned_on"]
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(AuditedAdmin):
    list_display = ["number", "title", "body", "term", "meeting", "state", "reply_class"]
    list_filter = ["body", "state", "reply_class"]
    search_fields = ["title", "proposer"]
    inlines = [AssignmentInline]

    # every change goes through the services (audited); the admin only reads
    def has_change_permission(self, request, obj=None):
        return False


for model in (Extension, CoView, ReplyTemplate, ReplyDraft, Feedback):
    admin.site.register(model, AuditedAdmin)
