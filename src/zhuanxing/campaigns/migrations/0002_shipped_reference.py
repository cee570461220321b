"""The shipped recognition kinds with their levels, and the talent plans."""

from django.db import migrations

from zhuanxing.campaigns.reference import install_reference


def install(apps, schema_editor):
    install_reference(
        apps.get_model("campaigns", "RecognitionKind"),
        apps.get_model("campaigns", "RecognitionLevel"),
        apps.get_model("campaigns", "TalentPlan"),
    )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
