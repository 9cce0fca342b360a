"""An administrator in a real Chromium uploads a workbook, sees the preview
with an error, fixes the file, uploads it again and applies it."""

import re

import pytest
from django.core.management import call_command

from indicators.models import Indicator
from tests.entry_support import media_root  # noqa: F401
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from tests.workbook_support import edit, export_year
from yearsetup.workbook import columns as spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def test_upload_see_the_error_fix_and_apply(page, login, tmp_path):
    call_command("load_demo", quiet_logins=True)
    exported = export_year(SEED_YEAR)
    broken = tmp_path / "แผน 2563.xlsx"
    broken.write_bytes(edit(exported, spec.INDICATORS, {
        (SEED_CODE, "annual_target"): "๘", (SEED_CODE, "owner"): "9999"}))
    fixed = tmp_path / "แผน 2563 แก้แล้ว.xlsx"
    fixed.write_bytes(edit(exported, spec.INDICATORS, {(SEED_CODE, "annual_target"): "๘"}))

    login("admin", "demo-admin-2563")
    page.get_by_role("button", name="ตั้งค่าปี").click()  # the administrators' menu
    page.get_by_role("link", name="นำเข้าจาก Excel").click()
    page.set_input_files("#id_file", str(broken))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_url(re.compile(r"/indicators/import/\d+/$"))

    problems = page.locator("#import-problems tbody tr")
    assert problems.count() == 1
    assert problems.first.inner_text().split("\t") == [
        "ตัวชี้วัด", "2", "D (รหัสหน่วยงานเจ้าของ)", "ไม่พบหน่วยงานรหัส “9999”"]
    assert page.locator("#import-confirm").count() == 0
    assert Indicator.objects.get(code=SEED_CODE).annual_target == 6

    page.get_by_role("link", name="อัปโหลดไฟล์ใหม่").click()
    page.set_input_files("#id_file", str(fixed))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_url(re.compile(r"/indicators/import/\d+/$"))
    assert "ไม่พบข้อผิดพลาด" in page.locator("#import-outcome").inner_text()
    assert SEED_CODE in page.locator("#import-updated").inner_text()
    assert Indicator.objects.get(code=SEED_CODE).annual_target == 6

    page.locator("#import-confirm").click()
    page.wait_for_load_state()
    assert "นำเข้าข้อมูลเรียบร้อยแล้ว" in page.locator("#import-outcome").inner_text()
    seed = Indicator.objects.get(code=SEED_CODE)
    assert seed.annual_target == 8
    assert seed.history.latest().history_change_reason == "นำเข้าจากไฟล์ แผน 2563 แก้แล้ว.xlsx"
