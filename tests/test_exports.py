"""CSV and XLSX exports of the list and of the quarterly table."""

import csv
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def read_csv(response):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Thai correctly
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def test_list_csv(export_data, manager_client):
    response = manager_client.get("/indicators/export.csv?year=2569")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="kpi-2569-indicators.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "หน่วยงาน"]
    assert rows[1][:3] == ["2200-0001", "ร้อยละของผู้ป่วยที่ได้รับการคัดกรอง", "สำนักการแพทย์"]
    assert rows[1][6:9] == ["1234.50", "1300.25", "บรรลุเป้าหมาย"]
    assert len(rows) == 3


def test_list_xlsx_numbers_headers_freeze_and_widths(export_data, manager_client):
    response = manager_client.get("/indicators/export.xlsx?year=2569")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = read_xlsx(response).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:2] == ["รหัสตัวชี้วัด", "ชื่อตัวชี้วัด"]
    target, achieved = sheet.cell(2, 7), sheet.cell(2, 8)
    assert isinstance(target.value, (int, float)) and target.value == 1234.5
    assert target.number_format == "#,##0.00"
    assert achieved.value == 1300.25
    assert sheet.cell(3, 8).value is None  # not reported: empty, not 0
    name_width = sheet.column_dimensions["B"].width
    assert 30 <= name_width <= 60  # fits the Thai name, capped
    assert sheet.column_dimensions["A"].width >= len("2200-0001")


def test_text_never_becomes_a_formula(export_data, manager_client):
    rows = read_csv(manager_client.get("/indicators/export.csv?year=2569"))
    assert rows[2][1].startswith("'=HYPERLINK")
    sheet = read_xlsx(manager_client.get("/indicators/export.xlsx?year=2569")).active
    cell = sheet.cell(3, 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_export_follows_the_filters(export_data, manager_client):
    rows = read_csv(manager_client.get(f"/indicators/export.csv?year=2569&agency={export_data['other'].code}"))
    assert [r[0] for r in rows[1:]] == ["2300-0001"]
    rows = read_csv(manager_client.get("/indicators/export.csv?year=2569&status=met"))
    assert [r[0] for r in rows[1:]] == ["2200-0001"]


def test_quarterly_table_exports(export_data, manager_client):
    rows = read_csv(manager_client.get("/reports/quarterly/export.csv?year=2569&group_by=agency"))
    header = rows[0]
    assert header[:6] == ["กลุ่ม (หน่วยงาน)", "รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "หน่วยงาน", "หน่วยนับ",
                          "วิธีรวมผลรายไตรมาส"]
    assert header[6:12] == ["ไตรมาส 1 เป้าหมาย", "ไตรมาส 1 ผลงาน", "ไตรมาส 1 ผลงานถึงไตรมาสนี้ที่ใช้ประเมิน",
                            "ไตรมาส 1 ร้อยละความสำเร็จ", "ไตรมาส 1 คะแนน 2.1", "ไตรมาส 1 คะแนน 2.2"]
    first = rows[1]
    assert first[0] == "2200 สำนักการแพทย์" and first[1] == "2200-0001"
    assert first[5] == "ผลสะสม (ค่าล่าสุดที่รายงาน)"
    assert first[6:12] == ["1234.50", "20.00", "20.00", "1.62", "100.00", "100.00"]
    assert first[12:18] == ["1234.50", "", "", "", "", ""]  # not reported, not evaluated: empty, never 0
    assert first[-2:] == ["1300.25", "บรรลุเป้าหมาย"]

    sheet = read_xlsx(manager_client.get("/reports/quarterly/export.xlsx?year=2569&group_by=agency")).active
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(2, 30).value == 95.5  # Q4 score 2.2 as a number
    assert sheet.max_row == 3


def test_reporter_exports_only_their_agency(export_data, client, make_user):
    client.force_login(make_user("reporter", agencies=[export_data["other"]]))
    for url in ("/indicators/export.csv?year=2569", "/reports/quarterly/export.csv?year=2569"):
        rows = read_csv(client.get(url))
        assert [r[1] if "quarterly" in url else r[0] for r in rows[1:]] == ["2300-0001"]
        assert "2200-0001" not in client.get(url).content.decode("utf-8-sig")


@pytest.mark.parametrize("url", ["/indicators/export.csv", "/indicators/export.xlsx",
                                 "/reports/quarterly/export.csv", "/reports/quarterly/export.xlsx"])
def test_signed_out_visitor_gets_no_export(export_data, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unknown_format_is_404(export_data, manager_client):
    assert manager_client.get("/indicators/export.pdf").status_code == 404


def test_a_big_quarterly_xlsx_is_made_by_a_job_with_the_same_rows(export_data, manager_client, settings):
    small = read_xlsx(manager_client.get("/reports/quarterly/export.xlsx?year=2569&group_by=agency")).active
    settings.EXPORT_JOB_ROWS = 1  # two rows are "big" now
    from jobs.models import Job

    # Following the link starts nothing: it asks, with a button that posts.
    url = "/reports/quarterly/export.xlsx?year=2569&group_by=agency"
    asked = manager_client.get(url)
    assert asked.status_code == 200 and not Job.objects.exists()
    assert 'method="post"' in asked.content.decode() and "2 แถว" in asked.content.decode()
    table = manager_client.get("/reports/quarterly/?year=2569&group_by=agency").content.decode()
    assert f'<form method="post" action="{url.replace("&", "&amp;")}&amp;quarter=4"' in table
    response = manager_client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get()
    assert (job.kind, job.status, job.total) == ("quarterly_xlsx", Job.Status.DONE, 2)
    download = manager_client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('kpi-2569-quarterly.xlsx"')
    big = read_xlsx(SimpleNamespace(content=b"".join(download.streaming_content))).active
    assert [[c.value for c in row] for row in big.iter_rows()] == [[c.value for c in row] for row in small.iter_rows()]
    # The CSV of as many rows is a job too (tests/test_export_jobs.py): following its link asks.
    assert manager_client.get("/reports/quarterly/export.csv?year=2569").status_code == 200
    assert Job.objects.count() == 1
