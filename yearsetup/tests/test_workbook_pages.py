"""The import, export, template and rollover pages: who may use them, the
upload -> preview -> confirm path through background jobs (run at once in
tests), and refusals shown on the page with nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from indicators.models import FiscalYear, Indicator
from jobs.models import Job
from tests.helpers import page_text
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from tests.workbook_support import edit, export_year
from yearsetup.workbook import columns as spec

pytestmark = pytest.mark.django_db

ADMIN_ONLY = ["/indicators/import/", "/indicators/import/template.xlsx", "/indicators/rollover/"]


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("administrator"))
    return client


def upload(client, content, name="plan.xlsx", **data):
    return client.post("/indicators/import/", {"file": SimpleUploadedFile(name, content), **data}, follow=True)


@pytest.mark.parametrize("role", [None, "reporter", "evaluator", "manager"])
@pytest.mark.parametrize("url", ADMIN_ONLY)
def test_only_administrators_import_and_roll_over(client, make_user, seed, role, url):
    client.force_login(make_user(role, [seed.owner]))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("url", ADMIN_ONLY)
def test_administrators_open_the_pages(admin_client, seed, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_ONLY)
def test_a_superuser_is_an_administrator(client, make_user, seed, url):
    user = make_user()
    user.is_superuser = True
    user.save()
    client.force_login(user)
    assert client.get(url).status_code == 200


def test_signed_out_users_are_sent_to_sign_in(client, seed):
    response = client.get("/indicators/import/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reporter_cannot_post_an_upload_or_confirm(client, make_user, admin_client, seed):
    upload(admin_client, export_year(SEED_YEAR))
    job = Job.objects.get()
    reporter = make_user("reporter", [seed.owner])
    client.force_login(reporter)
    assert upload(client, export_year(SEED_YEAR)).status_code == 403
    assert client.get(f"/indicators/import/{job.pk}/").status_code == 403
    assert client.post(f"/indicators/import/{job.pk}/apply/").status_code == 403
    assert Job.objects.count() == 1


def test_upload_preview_confirm(admin_client, seed):
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "annual_target"): 12})

    preview = upload(admin_client, content)

    text = page_text(preview)
    assert "ตรวจสอบแล้ว ไม่พบข้อผิดพลาด ยังไม่ได้บันทึก" in text
    assert ('<th scope="row">ตัวชี้วัด</th><td class="num">0</td><td class="num">1</td>'
            '<td class="num">0</td><td class="num">0</td>') in preview.content.decode()
    seed.refresh_from_db()
    assert seed.annual_target == 6
    check = Job.objects.get(kind="import_check")

    done = admin_client.post(f"/indicators/import/{check.pk}/apply/", follow=True)

    assert "นำเข้าข้อมูลเรียบร้อยแล้ว" in page_text(done)
    seed.refresh_from_db()
    assert seed.annual_target == 12
    assert seed.history.latest().history_change_reason == "นำเข้าจากไฟล์ plan.xlsx"


def test_a_preview_with_errors_offers_no_confirmation_and_apply_is_refused(admin_client, seed):
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "owner"): "0000"})
    preview = upload(admin_client, content)
    text = page_text(preview)
    assert "พบข้อผิดพลาด 1 รายการ" in text
    assert ("<td>ตัวชี้วัด</td><td>2</td><td>D (รหัสหน่วยงานเจ้าของ)</td><td>ไม่พบหน่วยงานรหัส “0000”</td>"
            in preview.content.decode())
    assert "ยืนยันนำเข้า" not in text
    check = Job.objects.get()
    refused = admin_client.post(f"/indicators/import/{check.pk}/apply/", follow=True)
    assert "ยังตรวจสอบไม่ผ่าน" in page_text(refused)
    assert Job.objects.count() == 1


def test_a_renamed_file_is_refused_on_the_form(admin_client, seed, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    response = upload(admin_client, b"not a workbook at all", name="plan.xlsx")
    assert "ไม่ใช่ไฟล์ Excel (XLSX)" in page_text(response)
    assert not Job.objects.exists() and not (tmp_path / "imports").exists()


def test_the_upload_is_tied_to_its_owner(admin_client, client, make_user, seed):
    upload(admin_client, export_year(SEED_YEAR))
    check = Job.objects.get()
    # Another administrator confirming someone else's upload: the file is
    # not theirs, so the import job refuses it.
    client.force_login(make_user("administrator"))
    client.post(f"/indicators/import/{check.pk}/apply/")
    applied = Job.objects.get(kind="import_apply")
    assert applied.status == Job.Status.FAILED and "หมดอายุหรือไม่พบ" in applied.error


def test_export_of_the_list_is_the_import_format_of_what_the_user_sees(client, make_user, seed):
    other_agency_indicator = Indicator.objects.exclude(owner=seed.owner).filter(fiscal_year=seed.fiscal_year).first()
    client.force_login(make_user("reporter", [seed.owner]))
    response = client.get(f"/indicators/workbook.xlsx?year={SEED_YEAR}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))[str(spec.INDICATORS.title)]
    codes = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert SEED_CODE in codes
    if other_agency_indicator is not None:
        assert other_agency_indicator.code not in codes


def test_the_template_has_the_sheets_and_an_example_row(admin_client, seed):
    response = admin_client.get("/indicators/import/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["คำอธิบาย", *[str(s.title) for s in spec.SHEETS]]
    assert wb[str(spec.INDICATORS.title)]["A2"].value.startswith("ตัวอย่าง")


def test_rollover_page_starts_the_next_year_once(admin_client, seed):
    data = {"source": SEED_YEAR, "carry_targets": "on"}
    first = admin_client.post("/indicators/rollover/", data, follow=True)
    assert "เริ่มปีงบประมาณ 2564 แล้ว" in page_text(first)
    admin_client.post("/indicators/rollover/", data)
    assert FiscalYear.objects.filter(year=SEED_YEAR + 1).count() == 1
    assert Indicator.objects.filter(fiscal_year__year=SEED_YEAR + 1).count() == \
        Indicator.objects.filter(fiscal_year__year=SEED_YEAR).count()


def test_a_file_over_the_limit_is_refused_on_the_form(admin_client, seed, settings):
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    response = upload(admin_client, b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024))
    assert "ไฟล์ใหญ่เกิน 2 MB" in page_text(response)
    assert not Job.objects.exists()


def test_a_waiting_import_shows_its_progress_bar(admin_client, seed):
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(pk=admin_client.session["_auth_user_id"])
    job = Job.objects.create(owner=owner, kind="import_check", title="plan.xlsx",
                                  status=Job.Status.RUNNING, total=100, done=40)
    html = admin_client.get(f"/indicators/import/{job.pk}/").content.decode()
    assert 'data-reload-when-done="1"' in html and 'value="40"' in html and "js/job-progress.js" in html
    status = admin_client.get(f"/jobs/{job.pk}/status.json").json()
    assert status["percent"] == 40


def test_an_import_job_whose_owner_is_no_longer_an_administrator_fails(make_user, seed):
    from yearsetup import tasks

    user = make_user("reporter", [seed.owner])
    job = Job.objects.create(owner=user, kind="import_apply", params={"token": "x"})
    tasks.import_workbook.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "ท่านไม่มีสิทธิ์นำเข้าข้อมูลแล้ว"


def test_an_import_that_loses_a_race_says_so(admin_client, seed, monkeypatch):
    from django.db import IntegrityError

    from yearsetup.workbook import service

    upload(admin_client, export_year(SEED_YEAR))
    check = Job.objects.get()

    def collide(*args, **kwargs):
        raise IntegrityError("unique_indicator_code_per_year")

    monkeypatch.setattr(service, "apply_workbook", collide)
    admin_client.post(f"/indicators/import/{check.pk}/apply/")
    applied = Job.objects.get(kind="import_apply")
    assert applied.status == Job.Status.FAILED and "ถูกเปลี่ยนระหว่างนำเข้า" in applied.error


def test_rollover_windows_are_given_whole_or_not_at_all(admin_client, seed):
    response = admin_client.post("/indicators/rollover/", {
        "source": SEED_YEAR, "q1_opens": "2020-11-01", "q2_opens": "2021-04-30", "q2_closes": "2021-02-01"})
    text = page_text(response)
    assert "ระบุทั้งวันเปิดและวันปิดรายงาน" in text and "วันปิดรายงานต้องไม่ก่อนวันเปิดรายงาน" in text
    assert not FiscalYear.objects.filter(year=SEED_YEAR + 1).exists()
    admin_client.post("/indicators/rollover/", {"source": SEED_YEAR, "q2_opens": "2021-02-15",
                                                "q2_closes": "2021-04-15"})
    quarter = FiscalYear.objects.get(year=SEED_YEAR + 1).quarters.get(number=2)
    assert (quarter.opens_on.isoformat(), quarter.closes_on.isoformat()) == ("2021-02-15", "2021-04-15")
