"""The table of the shared cache (settings.CACHES, DatabaseCache), so that
`accord setup` (and a plain `migrate`) leaves every process a cache to share."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Creates only the tables that do not exist yet; does nothing for Redis.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_initial")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
