"""A workbook is read as a stream of the cells it holds (indicators/
workbook/cells.py), bounded in rows and columns: one stray cell far away is
refused within seconds, naming the sheet and its extent, and a sheet whose
<dimension> claims more than it holds is read as what it holds. A failed
import says so in the import's words."""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.styles import Font

from indicators.models import Indicator
from jobs.models import Job
from tests.helpers import page_text
from tests.workbook_support import append_rows
from yearsetup.workbook import columns as spec
from yearsetup.workbook.export import template_workbook

pytestmark = pytest.mark.django_db

SHEET = str(spec.INDICATORS.title)
NEW_CODE = "2100-9001"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("administrator"))
    return client


def one_valid_row():
    """The template with one new indicator of the seed's agency."""
    return append_rows(template_workbook(), spec.INDICATORS, [{
        "code": NEW_CODE, "name": "ตัวชี้วัดทดสอบ", "owner": "2100", "unit": "เล่ม", "annual_target": 6,
        "category": "ตัวชี้วัดเชิงยุทธศาสตร์", "aggregation": str(Indicator.Aggregation.CUMULATIVE.label),
        "direction": str(Indicator.Direction.HIGHER_IS_BETTER.label),
    }])


def with_cells(content, cells, style_only=False):
    wb = load_workbook(io.BytesIO(content))
    ws = wb[SHEET]
    for where, value in cells.items():
        if style_only:
            ws[where].font = Font(bold=True)
        else:
            ws[where] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def lying_dimension(content, ref="A1:XFD1048576"):
    """The same workbook, its indicators sheet's <dimension> claiming `ref`."""
    wb = load_workbook(io.BytesIO(content))
    member = f"xl/worksheets/sheet{wb.sheetnames.index(SHEET) + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert count == 1
            target.writestr(item, data)
    return out.getvalue()


def upload(client, content, name="plan.xlsx"):
    return client.post("/indicators/import/", {"file": SimpleUploadedFile(name, content), "year": 2563},
                       follow=True)


def test_a_space_in_the_last_cell_is_refused_within_seconds(admin_client, seed):
    content = with_cells(one_valid_row(), {"XFD1048576": " "})
    assert len(content) < 20_000

    started = time.perf_counter()
    page = upload(admin_client, content)
    seconds = time.perf_counter() - started

    assert seconds < 5
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and not job.result["ok"]
    text = page_text(page)
    assert ("แผ่นงาน “ตัวชี้วัด” มีข้อมูลถึง A1:XFD1048576 (1,048,576 แถว × 16,384 คอลัมน์) ใหญ่เกินที่ระบบอ่านได้ "
            "(ไม่เกิน 100,000 แถว × 200 คอลัมน์)") in text
    assert "เช่น เซลล์ XFD1048576 (แม้มีเพียงช่องว่าง)" in text
    # The import's words, not the print jobs'; nothing offered to confirm.
    assert "พบข้อผิดพลาด 1 รายการ" in text and "ยืนยันนำเข้า" not in text
    assert "จัดทำเอกสาร" not in text and "สั่งใหม่" not in text
    assert not Indicator.objects.filter(code=NEW_CODE).exists()


def test_a_far_row_or_column_alone_is_refused(seed):
    from yearsetup.workbook import service

    content = with_cells(one_valid_row(), {"A100001": "x", "GS5": "y"})  # GS = column 201
    summary = service.run(content, file_name="far.xlsx", user=None, year=2563)
    (problem,) = summary["problems"]
    assert problem["sheet"] == SHEET and problem["column"] == "GS5"
    assert "มีข้อมูลถึง A1:GS100001 (100,001 แถว × 201 คอลัมน์)" in problem["message"]


def test_a_sheet_at_its_bounds_is_read(seed):
    from yearsetup.workbook import service

    content = with_cells(one_valid_row(), {"GR3": "หมายเหตุของผู้กรอก"})  # column 200, beside the new row
    summary = service.run(content, file_name="notes.xlsx", user=None, year=2563)
    assert summary["ok"], summary["problems"]
    assert next(c for c in summary["counts"] if c["sheet"] == SHEET)["created"] == 1


@pytest.mark.parametrize("content", [
    pytest.param(lambda: lying_dimension(one_valid_row()), id="dimension claims A1:XFD1048576"),
    pytest.param(lambda: with_cells(one_valid_row(), {"XFD1048576": None}, style_only=True),
                 id="a far cell with a format only"),
])
def test_a_sheet_is_its_cells_not_its_dimension_or_formats(admin_client, seed, content):
    started = time.perf_counter()
    page = upload(admin_client, content())
    assert time.perf_counter() - started < 5
    assert "ตรวจสอบแล้ว ไม่พบข้อผิดพลาด ยังไม่ได้บันทึก" in page_text(page)
    assert ('<th scope="row">ตัวชี้วัด</th><td class="num">1</td>') in page.content.decode()


def test_a_failed_import_says_so_in_the_imports_words(admin_client, seed, monkeypatch):
    from yearsetup.workbook import service

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(service, "run", out_of_memory)
    page = upload(admin_client, one_valid_row())
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    text = page_text(page)
    assert "ตรวจสอบไฟล์นำเข้าไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบไม่ได้บันทึกข้อมูลใด ๆ" in text
    assert "จัดทำเอกสาร" not in text
    # Asking again would read the same file again: the page offers a new upload.
    assert "สั่งใหม่" not in text and "อัปโหลดไฟล์ใหม่" in text
    assert "จัดทำเอกสาร" not in page_text(admin_client.get(f"/jobs/{job.pk}/"))
