"""The job rows made while jobs were reports.PrintJob survive the move to
jobs.Job (same rows, renamed table), forward and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jobs.models import Job

BEFORE = [("reports", "0006_thai_field_labels"), ("jobs", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The state of the apps as they were (models as the old code had them).
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_print_jobs_become_jobs_with_every_field_and_back():
    try:
        old = migrate(BEFORE)
        owner = old.get_model("auth", "User").objects.create(username="owner")
        PrintJob = old.get_model("reports", "PrintJob")
        made = [
            PrintJob.objects.create(owner=owner, kind="book", title="เล่ม 2568", status="done", total=5, done=5,
                                    file_name="job-1.pdf", download_name="book.pdf", params={"year": "2568"}),
            PrintJob.objects.create(owner=owner, kind="import_check", title="plan.xlsx", status="failed",
                                    error="ไฟล์ไม่ถูกต้อง", result={"ok": False}, attempts=2),
            PrintJob.objects.create(owner=owner, kind="quarterly_xlsx", status="running", runs_left=3),
        ]
        fields = ["id", "owner_id", "kind", "title", "status", "total", "done", "runs_left", "attempts", "error",
                  "file_name", "download_name", "params", "result", "created_at"]
        before = list(PrintJob.objects.order_by("id").values_list(*fields))
        assert len(before) == len(made)

        migrate(latest())
        assert list(Job.objects.order_by("id").values_list(*fields)) == before
        assert "jobs_job" in connection.introspection.table_names()
        assert "reports_printjob" not in connection.introspection.table_names()
        # A new job gets the next id, not one taken by a moved row.
        assert Job.objects.create(owner_id=owner.pk, kind="book").pk > max(row[0] for row in before)
        Job.objects.filter(pk__gt=max(row[0] for row in before)).delete()

        back = migrate(BEFORE)
        assert list(back.get_model("reports", "PrintJob").objects.order_by("id").values_list(*fields)) == before
    finally:
        migrate(latest())
