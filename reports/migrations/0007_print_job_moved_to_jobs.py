"""reports.PrintJob is now jobs.Job (jobs/migrations/0001): it leaves this
app's migration state; its table and rows stay, taken over by jobs."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0006_thai_field_labels"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PrintJob")],
            database_operations=[],
        ),
    ]
