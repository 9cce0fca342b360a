"""The job model moves here from reports (reports.PrintJob): the same table
and rows, taken over in the migration state only; 0002 renames the table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("reports", "0006_thai_field_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Job",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20)),
                        ("params", models.JSONField(default=dict)),
                        ("title", models.CharField(blank=True, max_length=500)),
                        ("status", models.CharField(choices=[("queued", "รอคิว"), ("running", "กำลังดำเนินการ"), ("done", "เสร็จแล้ว"), ("failed", "ไม่สำเร็จ")], default="queued", max_length=10)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("done", models.PositiveIntegerField(default=0)),
                        ("runs_left", models.PositiveIntegerField(default=0)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("file_name", models.CharField(blank=True, max_length=200)),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("download_name", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="print_jobs", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "reports_printjob",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["owner", "status"], name="reports_pri_owner_i_c353f3_idx"),
                            models.Index(fields=["status", "heartbeat_at"], name="reports_pri_status_e9ee77_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
