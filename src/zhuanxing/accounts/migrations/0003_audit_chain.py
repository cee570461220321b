"""The audit trail becomes append-only and chained: who by name, from where, and a hash chain
(``accounts.chain``). Entries already written are named and sealed here, oldest first; on
PostgreSQL a trigger refuses deletes and any update but the sealing and the actor key becoming
NULL when an account is removed."""

import django.utils.timezone
from django.db import migrations, models


APPEND_ONLY = """
CREATE OR REPLACE FUNCTION zhuanxing_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '审计记录只能追加，不能删除（记录号 %）', OLD.id;
  END IF;
  IF ROW(NEW.at, NEW.actor_name, NEW.source_address, NEW.action, NEW.object_type, NEW.object_id,
         NEW.object_repr, NEW.old, NEW.new, NEW.reason)
     IS DISTINCT FROM
     ROW(OLD.at, OLD.actor_name, OLD.source_address, OLD.action, OLD.object_type, OLD.object_id,
         OLD.object_repr, OLD.old, OLD.new, OLD.reason)
     OR (OLD.seq IS NOT NULL AND ROW(NEW.seq, NEW.previous_hash, NEW.entry_hash)
         IS DISTINCT FROM ROW(OLD.seq, OLD.previous_hash, OLD.entry_hash))
     OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL) THEN
    RAISE EXCEPTION '审计记录不能修改（记录号 %）', OLD.id;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditentry_append_only
  BEFORE UPDATE OR DELETE ON accounts_auditentry
  FOR EACH ROW EXECUTE FUNCTION zhuanxing_audit_append_only();
"""


def name_and_seal_existing(apps, schema_editor):
    from zhuanxing.accounts.chain import GENESIS, entry_digest

    AuditEntry = apps.get_model("accounts", "AuditEntry")
    previous = GENESIS
    for seq, entry in enumerate(AuditEntry.objects.select_related("actor").order_by("id"), start=1):
        entry.actor_name = entry.actor.username if entry.actor else ""
        entry.seq, entry.previous_hash = seq, previous
        entry.entry_hash = previous = entry_digest(entry, seq=seq, previous_hash=previous)
        entry.save(update_fields=["actor_name", "seq", "previous_hash", "entry_hash"])


def add_append_only_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters, so the function body's % reaches plpgsql's RAISE as written.
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_append_only_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;"
            "DROP FUNCTION IF EXISTS zhuanxing_audit_append_only();"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150, verbose_name='操作人账号'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='entry_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='本条摘要'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='前一条摘要'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='seq',
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True, verbose_name='链序号'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='source_address',
            field=models.CharField(blank=True, max_length=45, verbose_name='来源地址'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.RunPython(name_and_seal_existing, migrations.RunPython.noop),
        migrations.RunPython(add_append_only_trigger, drop_append_only_trigger),
    ]
