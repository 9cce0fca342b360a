"""The list sorted by name, cut in the database: an index on the year and
the name's first NAME_KEY_LENGTH characters (filters.IndicatorFilter.qs
orders by the same expression), so page 20 reads 1,000 index entries
instead of sorting every wide row of the year. A prefix, not the whole
name: a b-tree entry must stay under ~2,700 bytes and a name is free text
(300 Thai characters are at most 900 bytes). PostgreSQL only, like 0007."""

from django.db import migrations

NAME = "indicator_year_name"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "indicators_indicator" ("fiscal_year_id", LEFT("name", 300), "code")'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0008_year_status_covering_index"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
