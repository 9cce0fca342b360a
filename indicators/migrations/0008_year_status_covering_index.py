"""A covering index for the pages that count or order a whole fiscal year
(dashboard, quarterly table, status filter, category choices), PostgreSQL
only. An indicator row is wide (definitions and methods are stored inline),
so reading a year of 25,000 from the table costs ~10,000 pages; this index
holds the few narrow columns those queries read, which PostgreSQL then
answers by an index-only scan. Chosen by EXPLAIN ANALYZE (docs/performance.md).

SQLite has no covering indexes (INCLUDE): there this migration does nothing.
Outside the migration state, like 0007."""

from django.db import migrations

NAME = "indicator_year_statuses"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "indicators_indicator" ("fiscal_year_id", "code") '
        'INCLUDE ("id", "owner_id", "category", "status_q1", "status_q2", "status_q3", "status_q4")'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0007_name_search_trigram"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
