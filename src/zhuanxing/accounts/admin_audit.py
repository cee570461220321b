"""The two kinds of admin page every app uses.

``ReadOnlyAdmin``: records that change only through their app's audited services (or never).
``AuditedAdmin`` (or ``AuditedAdminMixin`` beside another admin base): every save, delete and
inline row the admin writes leaves an audit entry with the old and new values of the fields it
changed, as the services' own entries do; the admin's own log keeps only field names."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from zhuanxing.accounts.audit import changed_fields, in_site_language, record_change

MASKED = {"password"}  # stored hashes are not copied into the trail; that they changed is


def _values(obj: models.Model) -> dict:
    values = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if field.name in MASKED:
            value = "******" if value else ""
        elif not (value is None or isinstance(value, (bool, int, float, str))):
            value = str(value)
        values[field.name] = value
    return values


def _stored(obj: models.Model) -> dict:
    if obj.pk is None:
        return {}
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return _values(stored) if stored is not None else {}


def _label(obj: models.Model) -> str:
    return in_site_language(obj._meta.verbose_name)


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        old = _stored(obj) if change else {}
        super().save_model(request, obj, form, change)
        self._audit_save(request, obj, old, change)

    def delete_model(self, request, obj):
        old = _values(obj)
        record_change(actor=request.user, action=f"后台删除{_label(obj)}", obj=obj, old=old)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_change(actor=request.user, action=f"后台删除{_label(obj)}", obj=obj, old=_values(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # every bound row as stored before the save, deleted ones included
        before = {f.instance.pk: _stored(f.instance) for f in formset.forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        for obj in formset.deleted_objects:
            record_change(
                actor=request.user, action=f"后台删除{_label(obj)}", obj=obj, old=before.get(obj.pk)
            )
        for obj in formset.new_objects:
            self._audit_save(request, obj, {}, change=False)
        for obj, _fields in formset.changed_objects:
            self._audit_save(request, obj, before.get(obj.pk, {}), change=True)

    def _audit_save(self, request, obj, old: dict, change: bool) -> None:
        new = _stored(obj)  # as stored, so old and new read alike
        if change:
            old, new = changed_fields(old, new)
            if not new:
                return
        record_change(
            actor=request.user,
            action=f"后台{'修改' if change else '新增'}{_label(obj)}",
            obj=obj,
            old=old or None,
            new=new,
        )


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
