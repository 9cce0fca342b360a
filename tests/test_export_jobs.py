"""Every whole-year export over EXPORT_JOB_ROWS rows is made by a print job
(reports/export_jobs.py): a GET asks, a POST starts the job, and the job's
file is the immediate download's (CSV: the same bytes), of what its owner
may see. Tasks run at once in tests (TASKS_BACKEND=immediate)."""

import io

import pytest
from openpyxl import load_workbook

from jobs import kinds
from jobs.models import Job
from notifications.models import Notification
from yearsetup.workbook import columns as spec

pytestmark = pytest.mark.django_db

# (url, kind, file name) of every export that may become a job.
EXPORTS = [
    ("/indicators/export.csv?year=2569", "list_csv", "kpi-2569-indicators.csv"),
    ("/indicators/export.xlsx?year=2569", "list_xlsx", "kpi-2569-indicators.xlsx"),
    ("/reports/quarterly/export.csv?year=2569&group_by=agency", "quarterly_csv", "kpi-2569-quarterly.csv"),
    ("/reports/quarterly/export.xlsx?year=2569&group_by=agency", "quarterly_xlsx", "kpi-2569-quarterly.xlsx"),
    ("/indicators/workbook.xlsx?year=2569", "workbook_xlsx", "indicators-2569.xlsx"),
]
ids = [kind for _url, kind, _name in EXPORTS]


@pytest.fixture
def admin_client(client, make_user):
    # The workbook export and the others alike, as someone who sees every row.
    client.force_login(make_user("administrator"))
    return client


def file_of(job, client):
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'"{job.download_name}"')
    return b"".join(response.streaming_content)


def cells(content):
    """Every sheet's values: XLSX files differ in their timestamps only."""
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


def text_of(content, url):
    if ".csv" in url:
        return content.decode("utf-8-sig")
    return repr(cells(content))


@pytest.mark.parametrize(("url", "kind", "name"), EXPORTS, ids=ids)
def test_under_the_threshold_the_download_is_immediate(export_data, admin_client, url, kind, name):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert not Job.objects.exists()


@pytest.mark.parametrize(("url", "kind", "name"), EXPORTS, ids=ids)
def test_a_get_over_the_threshold_asks_and_starts_nothing(export_data, admin_client, settings, url, kind, name):
    settings.EXPORT_JOB_ROWS = 1  # two rows are "big" now
    response = admin_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and not Job.objects.exists()
    assert f"<h1 class=\"h3\">ส่งออก{kinds.get(kind).label}</h1>" in page
    assert "2 แถว" in page
    path = url.split("?")[0]
    assert f'<form method="post" action="{path}?' in page


@pytest.mark.parametrize(("url", "kind", "name"), EXPORTS, ids=ids)
def test_a_post_makes_the_immediate_file_by_a_job(export_data, admin_client, settings, url, kind, name):
    immediate = admin_client.get(url).content
    settings.EXPORT_JOB_ROWS = 1
    response = admin_client.post(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.total, job.download_name) == (kind, Job.Status.DONE, 2, name)
    assert job.title == f"{kinds.get(kind).label.split(' (')[0]} ปีงบประมาณ 2569"
    made = file_of(job, admin_client)
    if name.endswith(".csv"):
        assert made == immediate  # BOM, encoding, quoting and all
    else:
        assert cells(made) == cells(immediate)
    notice = Notification.objects.get(recipient=job.owner)
    assert notice.title == f"งาน “{job.title}” เสร็จแล้ว ดาวน์โหลดได้"


@pytest.mark.parametrize(("url", "kind", "name"), EXPORTS, ids=ids)
def test_a_job_holds_only_what_its_owner_may_see(export_data, client, make_user, settings, url, kind, name):
    settings.EXPORT_JOB_ROWS = 0  # the reporter's one row is "big"
    client.force_login(make_user("reporter", agencies=[export_data["other"]]))
    client.post(url)
    job = Job.objects.get(kind=kind)
    assert job.total == 1
    made = text_of(file_of(job, client), url)
    assert "2300-0001" in made and "2200-0001" not in made


def test_a_job_reads_the_owners_rights_when_it_runs(export_data, make_user):
    """Queued by a reporter of both agencies who lost one before it ran:
    the file has only what they may see then."""
    from jobs import services as jobs
    from reports import tasks

    reporter = make_user("reporter", agencies=[export_data["dept"], export_data["other"]])
    job = Job.objects.create(owner=reporter, kind="list_csv", download_name="kpi-2569-indicators.csv",
                                  params={"year": "2569"})
    reporter.agencies.remove(export_data["dept"])
    tasks.make_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.total == 1
    made = jobs.job_file(job).read_bytes().decode("utf-8-sig")
    assert "2300-0001" in made and "2200-0001" not in made


def test_the_workbook_made_by_a_job_stays_thai_in_english(export_data, admin_client, settings):
    settings.EXPORT_JOB_ROWS = 1
    admin_client.post("/en/indicators/workbook.xlsx?year=2569")
    job = Job.objects.get()
    assert job.params["language"] == "en"
    sheets = load_workbook(io.BytesIO(file_of(job, admin_client))).sheetnames
    assert sheets == ["คำอธิบาย", *[str(s.title) for s in spec.SHEETS]]


def test_list_buttons_post_over_the_threshold(export_data, admin_client, settings):
    page = admin_client.get("/?year=2569").content.decode()
    assert '<a class="btn btn-outline-secondary btn-sm" href="/indicators/export.csv?' in page
    assert 'method="post"' not in page.split('id="result-count"')[1].split("</div>")[0]
    settings.EXPORT_JOB_ROWS = 1
    page = admin_client.get("/?year=2569").content.decode()
    for path in ("/indicators/export.csv", "/indicators/export.xlsx", "/indicators/workbook.xlsx"):
        assert f'<form method="post" action="{path}?year=2569' in page


def test_quarterly_buttons_post_over_the_threshold(export_data, admin_client, settings):
    settings.EXPORT_JOB_ROWS = 1
    page = admin_client.get("/reports/quarterly/?year=2569").content.decode()
    for path in ("/reports/quarterly/export.csv", "/reports/quarterly/export.xlsx"):
        assert f'<form method="post" action="{path}?year=2569' in page


def test_a_job_beyond_the_users_limit_goes_back_with_the_reason(export_data, admin_client, settings):
    settings.EXPORT_JOB_ROWS = 1
    settings.PRINT_JOBS_PER_USER = 0
    response = admin_client.post("/indicators/export.csv?year=2569", follow=True)
    assert response.redirect_chain[0][0].startswith("/?")
    assert "จำนวนสูงสุดที่ทำพร้อมกันได้" in response.content.decode()
    assert not Job.objects.exists()


def test_the_confirm_page_in_english(export_data, admin_client, settings):
    settings.EXPORT_JOB_ROWS = 1
    page = admin_client.get("/en/indicators/export.xlsx?year=2569").content.decode()
    assert '<h1 class="h3">Export: List of indicators (XLSX)</h1>' in page
    assert "Back to the list of indicators" in page
    admin_client.post("/en/indicators/export.xlsx?year=2569")
    assert Job.objects.get().title == "List of indicators, fiscal year 2569"


def test_a_quarterly_xlsx_job_queued_before_the_upgrade_still_runs(export_data, make_user):
    from reports import tasks

    job = Job.objects.create(owner=make_user("manager"), kind="quarterly_xlsx",
                                  download_name="kpi-2569-quarterly.xlsx", params={"year": "2569"})
    tasks.make_quarterly_xlsx.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total) == (Job.Status.DONE, 2)
