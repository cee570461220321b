"""The table of the ``throttle`` cache (login failures shared by every server process), created by
``migrate`` so that no deployment needs a separate ``createcachetable`` step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_chain")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
