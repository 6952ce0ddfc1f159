from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def create_head(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The one row every append locks; it must exist before the first append.
    apps.get_model("ledger", "LogHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
