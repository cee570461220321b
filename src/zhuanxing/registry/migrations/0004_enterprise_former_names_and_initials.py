"""Former names and pinyin initials of enterprises, for global search; on PostgreSQL, pg_trgm
indexes so a substring search over names does not scan the table."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from zhuanxing import pinyin

# the expressions Django writes for ``__contains`` (``name::text LIKE``) and ``__icontains``
# (``UPPER(name::text) LIKE UPPER(…)``), so the planner uses the indexes for both
TRIGRAM_INDEXES = {
    "registry_enterprise_name_trgm": "(name::text) gin_trgm_ops",
    "registry_enterprise_name_upper_trgm": "(UPPER(name::text)) gin_trgm_ops",
    "registry_enterprise_former_upper_trgm": "(UPPER(former_names::text)) gin_trgm_ops",
    "registry_enterprise_initials_trgm": "(name_initials::text) gin_trgm_ops",
}


def fill_initials(apps, schema_editor):
    Enterprise = apps.get_model("registry", "Enterprise")
    batch = []
    for enterprise in Enterprise.objects.only("pk", "name").iterator(chunk_size=2000):
        enterprise.name_initials = pinyin.initials_of(enterprise.name)
        batch.append(enterprise)
        if len(batch) >= 2000:
            Enterprise.objects.bulk_update(batch, ["name_initials"])
            batch = []
    if batch:
        Enterprise.objects.bulk_update(batch, ["name_initials"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite scans; the search is the same query
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_enterprise USING gin ({expression})")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_importbatch_undo"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="former_names",
            field=models.CharField(
                blank=True, help_text="多个曾用名以“；”分隔；改名时自动记入", max_length=300, verbose_name="曾用名"
            ),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="name_initials",
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name="名称拼音首字母"),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop),
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
