"""The evidence checklist (issue 24 item 3): an indicator's data sources as
items, split from the text; each file attached to an item; an item waived
with a reason; a submit with missing items confirmed once and kept for the
evaluator; the review page, the detail page and the workbook."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.data_sources import format_data_sources, split_data_sources, sync_items
from indicators.models import DataSourceItem, Indicator, QuarterResult
from reports.checklist import MISSING_EVIDENCE
from reports.models import ChecklistWaiver, Evidence
from tests.entry_support import current_version, pdf_file, png_file, report_url, set_window
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from tests.workbook_support import edit, export_year
from yearsetup.workbook import columns as spec
from yearsetup.workbook import service

SEED_TEXT = ("1. หนังสือเชิญประชุม 2. แนวทางในการรับฟังความคิดเห็นของภาคประชาสังคม 3. ผลการศึกษา "
             "4. ภาพถ่ายการจัดกิจกรรม")
SEED_ITEMS = ["หนังสือเชิญประชุม", "แนวทางในการรับฟังความคิดเห็นของภาคประชาสังคม", "ผลการศึกษา",
              "ภาพถ่ายการจัดกิจกรรม"]


# --- the split ---------------------------------------------------------------

def test_the_seeds_one_line_splits_into_its_four_items():
    assert split_data_sources(SEED_TEXT) == SEED_ITEMS


def test_numbered_lines_lose_their_numbers():
    assert split_data_sources("1. หนังสือ\n2) ภาพถ่าย\n๓. รายงาน") == ["หนังสือ", "ภาพถ่าย", "รายงาน"]


def test_blank_lines_are_dropped_and_ends_trimmed():
    assert split_data_sources("\n  หนังสือ  \n\n\r\nภาพถ่าย\n") == ["หนังสือ", "ภาพถ่าย"]


def test_lines_without_numbering_are_kept_whole():
    assert split_data_sources("รายงานการประชุม ครั้งที่ 2. สรุป\nภาพถ่าย") == ["รายงานการประชุม ครั้งที่ 2. สรุป", "ภาพถ่าย"]
    # A decimal is not a numbering, nor a number that does not go on from the line's own.
    assert split_data_sources("1.5 ล้านบาท") == ["1.5 ล้านบาท"]
    assert split_data_sources("1. งบ 5. ล้าน") == ["งบ 5. ล้าน"]
    assert split_data_sources("") == [] and split_data_sources(None) == []


def test_formatted_text_splits_back_into_the_same_items():
    assert split_data_sources(format_data_sources(SEED_ITEMS)) == SEED_ITEMS


# --- the items kept in step -----------------------------------------------------

def _seed_items(indicator):
    return list(indicator.data_source_items.order_by("order").values_list("text", flat=True))


def test_the_seed_has_its_four_items_and_numbered_text(seed):
    assert _seed_items(seed) == SEED_ITEMS
    seed.refresh_from_db()
    assert seed.data_sources == format_data_sources(SEED_ITEMS)


def test_the_data_migration_splits_an_existing_row(seed):
    migration = importlib.import_module("indicators.migrations.0016_data_source_items")
    DataSourceItem.objects.filter(indicator=seed).delete()
    Indicator.objects.filter(pk=seed.pk).update(data_sources=SEED_TEXT)

    migration.split_existing(django_apps, None)

    assert _seed_items(seed) == SEED_ITEMS
    assert Indicator.objects.get(pk=seed.pk).data_sources == "\n".join(f"{n}. {t}" for n, t in enumerate(SEED_ITEMS, 1))
    item = seed.data_source_items.get(order=1)
    assert item.history.get().history_type == "+"


def test_sync_keeps_an_unchanged_item_and_its_files(seed):
    first = seed.data_source_items.get(order=1)
    evidence = Evidence.objects.create(indicator=seed, quarter=1, file="evidence/x", original_name="a.pdf",
                                       content_type="application/pdf", size=1, item=first)
    Indicator.objects.filter(pk=seed.pk).update(data_sources="รายการใหม่\nหนังสือเชิญประชุม")
    sync_items([seed.pk])
    assert _seed_items(seed) == ["รายการใหม่", "หนังสือเชิญประชุม"]
    evidence.refresh_from_db()
    assert evidence.item_id == first.pk  # the same row, moved to second place


# --- the report form ------------------------------------------------------------

@pytest.fixture
def seed_open(seed):
    """The seed with quarter 1 open and not yet reported (the demo's is accepted)."""
    QuarterResult.objects.filter(indicator=seed, quarter=1).delete()
    set_window(seed, 1)
    return seed


@pytest.fixture
def seed_reporter(client, make_user, seed_open):
    client.force_login(make_user("reporter", [seed_open.owner]))
    return client


def _items(indicator):
    return list(indicator.data_source_items.order_by("order"))


def _post(client, indicator, action="draft", **data):
    payload = {"version": current_version(indicator), "value": "1", "narrative": "", "action": action, **data}
    return client.post(report_url(indicator), payload)


def test_the_report_form_shows_the_seeds_four_items(seed_reporter, seed_open):
    html = seed_reporter.get(report_url(seed_open)).content.decode()
    checklist = re.search(r'id="checklist">(.*?)</fieldset>', html, re.S).group(1)
    for text in SEED_ITEMS:
        assert text in checklist
    assert checklist.count("ยังไม่มีหลักฐาน") == 4
    # The select beside the file input offers "other" first, then the items.
    select = re.search(r'<select name="files_item".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["อื่น ๆ", *SEED_ITEMS]


def test_a_file_is_attached_to_the_chosen_item(seed_reporter, seed_open, media_root):
    invitation = _items(seed_open)[0]
    response = _post(seed_reporter, seed_open, files=[pdf_file()], files_item=str(invitation.pk))
    assert response.status_code == 302
    assert Evidence.objects.get(indicator=seed_open, quarter=1).item == invitation
    # Without a choice a file is "other".
    _post(seed_reporter, seed_open, files=[png_file()])
    assert Evidence.objects.get(indicator=seed_open, original_name="ภาพกิจกรรม.png").item is None
    html = seed_reporter.get(report_url(seed_open)).content.decode()
    row = re.search(rf'data-item="{invitation.pk}">(.*?)</li>', html, re.S).group(1)
    assert "หนังสือเชิญประชุม.pdf" in row and "ยังไม่มีหลักฐาน" not in row


def test_an_attached_file_can_move_to_another_item(seed_reporter, seed_open, media_root):
    first, second = _items(seed_open)[:2]
    _post(seed_reporter, seed_open, files=[pdf_file()], files_item=str(first.pk))
    evidence = Evidence.objects.get(indicator=seed_open)
    _post(seed_reporter, seed_open, **{f"evidence_item_{evidence.pk}": str(second.pk)})
    evidence.refresh_from_db()
    assert evidence.item == second
    assert evidence.history.first().history_change_reason == "เปลี่ยนรายการหลักฐานของไฟล์"


def test_waiving_an_item_needs_a_reason(seed_reporter, seed_open):
    study = _items(seed_open)[2]
    response = _post(seed_reporter, seed_open, **{f"waive_{study.pk}": "on", f"waive_reason_{study.pk}": "  "})
    assert response.status_code == 400
    assert "โปรดระบุเหตุผลที่รายการ “ผลการศึกษา” ไม่เกี่ยวข้อง" in response.content.decode()
    assert not ChecklistWaiver.objects.exists()
    assert not QuarterResult.objects.filter(indicator=seed_open, quarter=1).exists()

    response = _post(seed_reporter, seed_open, **{f"waive_{study.pk}": "on",
                                                     f"waive_reason_{study.pk}": "ไตรมาสนี้ไม่มีการศึกษา"})
    assert response.status_code == 302
    waiver = ChecklistWaiver.objects.get()
    assert (waiver.item, waiver.quarter, waiver.reason) == (study, 1, "ไตรมาสนี้ไม่มีการศึกษา")
    assert waiver.history.count() == 1
    # Unticked, the waiver goes (its history stays).
    _post(seed_reporter, seed_open)
    assert not ChecklistWaiver.objects.exists() and waiver.history.count() == 2


def test_submitting_with_missing_items_asks_once_and_keeps_them(seed_reporter, seed_open, media_root):
    items = _items(seed_open)
    waive = {f"waive_{items[3].pk}": "on", f"waive_reason_{items[3].pk}": "ไม่มีกิจกรรม"}
    response = _post(seed_reporter, seed_open, "submit", files=[pdf_file()], files_item=str(items[0].pk), **waive)
    assert response.status_code == 400
    html = response.content.decode()
    asked = re.search(r'id="missing-evidence">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "ยืนยันส่งโดยยังไม่มีหลักฐานครบ" in asked
    assert items[1].text in asked and items[2].text in asked and items[0].text not in asked
    assert not Evidence.objects.exists()  # nothing saved (the file waits as pending)

    pending = re.findall(r'name="pending" value="(\d+)"', html)
    response = _post(seed_reporter, seed_open, "submit", pending=pending, files_item=str(items[0].pk),
                     confirm_missing_evidence="on", **waive)
    assert response.status_code == 302
    result = QuarterResult.objects.get(indicator=seed_open, quarter=1)
    assert result.status == QuarterResult.Status.SUBMITTED
    [flag] = [f for f in result.plausibility_flags if f["code"] == MISSING_EVIDENCE]
    assert items[1].text in flag["message"] and items[2].text in flag["message"]
    assert items[0].text not in flag["message"] and items[3].text not in flag["message"]
    assert Evidence.objects.get().item == items[0]


def test_a_complete_checklist_submits_without_asking(seed_reporter, seed_open):
    data = {}
    for item in _items(seed_open):
        data.update({f"waive_{item.pk}": "on", f"waive_reason_{item.pk}": "ไม่เกี่ยวข้อง"})
    assert _post(seed_reporter, seed_open, "submit", **data).status_code == 302
    result = QuarterResult.objects.get(indicator=seed_open, quarter=1)
    assert not [f for f in result.plausibility_flags if f["code"] == MISSING_EVIDENCE]


def test_the_report_forms_queries_do_not_grow_with_files_and_waivers(seed_reporter, seed_open):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert seed_reporter.get(report_url(seed_open)).status_code == 200
        return len(ctx.captured_queries)

    items = _items(seed_open)
    Evidence.objects.create(indicator=seed_open, quarter=1, file="evidence/x", original_name="first.pdf",
                            content_type="application/pdf", size=1, item=items[3])
    ChecklistWaiver.objects.create(indicator=seed_open, quarter=1, item=items[3], reason="เหตุผล")
    small = queries()
    for n in range(6):
        Evidence.objects.create(indicator=seed_open, quarter=1, file="evidence/x", original_name=f"{n}.pdf",
                                content_type="application/pdf", size=1, item=items[n % 4])
    for item in items[:3]:
        ChecklistWaiver.objects.create(indicator=seed_open, quarter=1, item=item, reason="เหตุผล")
    assert queries() == small


# --- the review page and the sheet ------------------------------------------------

def _review_setup(seed):
    items = _items(seed)
    Evidence.objects.create(indicator=seed, quarter=4, file="evidence/x", original_name="เชิญ.pdf",
                            content_type="application/pdf", size=1, item=items[0])
    Evidence.objects.create(indicator=seed, quarter=4, file="evidence/y", original_name="อื่น.pdf",
                            content_type="application/pdf", size=1)
    ChecklistWaiver.objects.create(indicator=seed, quarter=4, item=items[2], reason="ไม่ได้ศึกษา")
    return items


def test_the_review_page_shows_which_items_have_files(seed, evaluator_client):
    items = _review_setup(seed)
    result = QuarterResult.objects.get(indicator=seed, quarter=4)
    result.plausibility_flags = [{"code": MISSING_EVIDENCE, "message": "ส่งโดยยังไม่มีหลักฐาน: ภาพถ่าย"}]
    result.save()
    html = evaluator_client.get(f"/review/{SEED_YEAR}/{SEED_CODE}/4/").content.decode()
    states = dict(re.findall(r'data-item="(\d+)" data-state="(\w+)"', html))
    assert states == {str(items[0].pk): "files", str(items[1].pk): "missing", str(items[2].pk): "waived",
                      str(items[3].pk): "missing"}
    row = re.search(rf'data-item="{items[0].pk}"[^>]*>(.*?)</li>\s*</ul>', html, re.S).group(1)
    assert "เชิญ.pdf" in row
    assert "ไม่เกี่ยวข้อง: ไม่ได้ศึกษา" in html
    other = re.search(r'id="review-evidence">(.*?)</ul>', html, re.S).group(1)
    assert "อื่น.pdf" in other and "เชิญ.pdf" not in other
    assert "ส่งโดยยังไม่มีหลักฐาน: ภาพถ่าย" in re.search(r'id="review-missing-evidence">(.*?)</dd>', html, re.S).group(1)
    assert 'id="review-plausibility"' not in html  # the missing flag is not a plausibility warning


def test_the_review_pages_queries_do_not_grow_with_the_checklist(seed, evaluator_client):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert evaluator_client.get(f"/review/{SEED_YEAR}/{SEED_CODE}/4/").status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    _review_setup(seed)
    Indicator.objects.filter(pk=seed.pk).update(data_sources="\n".join(f"รายการ {n}" for n in range(12)))
    sync_items([seed.pk])
    assert queries() == small


def test_the_detail_page_shows_the_checklist_of_a_reported_quarter(seed, evaluator_client):
    items = _review_setup(seed)
    html = evaluator_client.get(f"/indicators/{SEED_YEAR}/{SEED_CODE}/").content.decode()
    checklist = re.search(r'id="checklist-4">(.*?)</ol>', html, re.S).group(1)
    assert "เชิญ.pdf" in checklist and "ไม่เกี่ยวข้อง: ไม่ได้ศึกษา" in checklist
    assert checklist.count("ยังไม่มีหลักฐาน") == 2
    assert items[0].text in checklist


# --- the workbook -------------------------------------------------------------------

def test_workbook_round_trip_keeps_the_items_and_reads_one_a_line(seed):
    content = export_year(SEED_YEAR)
    unchanged = service.run(content, file_name="plan.xlsx", user=AnonymousUser(), apply=True)
    assert unchanged["applied"], unchanged["problems"]
    assert _seed_items(seed) == SEED_ITEMS

    edited = edit(content, spec.INDICATORS, {(SEED_CODE, "data_sources"): "หนังสือเชิญประชุม\n\nรายงานใหม่"})
    summary = service.run(edited, file_name="plan.xlsx", user=AnonymousUser(), apply=True)
    assert summary["applied"], summary["problems"]
    assert _seed_items(seed) == ["หนังสือเชิญประชุม", "รายงานใหม่"]
    seed.refresh_from_db()
    assert seed.data_sources == "1. หนังสือเชิญประชุม\n2. รายงานใหม่"
