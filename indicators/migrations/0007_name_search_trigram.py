"""Trigram indexes for the list's search (filters.IndicatorFilter.search), on
PostgreSQL only: `icontains` is `UPPER(col) LIKE UPPER('%word%')` there, and
a pg_trgm GIN index on UPPER(col) answers it without reading every name of
the year, Thai words inside names without spaces included (LIKE is still
the match; the index only narrows the rows it rechecks). On SQLite this
migration does nothing: the search stays a scan, fine for one office.

The indexes are not in Indicator.Meta (SQLite could not create them), so
they live outside the migration state, like a database-specific tweak."""

from django.db import migrations

# The expressions are exactly what Django's icontains puts left of LIKE, so
# the planner matches them. (Written as SQL: GinIndex(OpClass(Upper(...)))
# added through the schema editor leaves out the parentheses PostgreSQL
# needs around a function in an index with an operator class.)
INDEXES = {
    "indicator_name_trgm": 'UPPER("name")',
    "indicator_code_trgm": 'UPPER("code"::text)',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "indicators_indicator" USING gin (({expression}) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0006_stored_statuses"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
