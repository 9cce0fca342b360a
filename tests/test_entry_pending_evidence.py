"""Issue 29 point 6: an evidence file survives a refused report form. The
file of a post that saved nothing (a result to confirm, a field in error)
is kept for its sender as pending, shown on the form they get back, saved
as Evidence by the next accepted save without choosing it again, droppable,
invisible to anyone else, and gone after KEEP_HOURS."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from indicators.models import QuarterResult
from reports import pending_evidence
from reports.models import Evidence, PendingEvidence

from .entry_support import open_indicator, png_bytes, png_file, post_report, report_url
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")

KEPT = "ไฟล์ที่แนบไว้: ภาพกิจกรรม.png (จะบันทึกเมื่อกดบันทึก)"


@pytest.fixture
def indicator(db):
    return open_indicator()  # unit ร้อยละ: a result of 150 asks for a confirmation


def hidden_pending(response):
    """The pending ids the refused page sends back, as a browser would."""
    return re.findall(r'<input type="hidden" name="pending" value="(\d+)">', response.content.decode())


def files_on_disk(root):
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_file_is_kept_across_a_confirmation_and_saved_with_its_bytes(reporter_client, indicator, media_root):
    response = post_report(reporter_client, indicator, value="150", narrative="เกินร้อยละร้อย",
                           files=[png_file("ภาพกิจกรรม.png")])
    assert response.status_code == 400
    page = page_text(response)
    assert "ยืนยันว่าถูกต้อง" in page
    assert KEPT in page
    assert "โปรดเลือกไฟล์อีกครั้ง" not in page
    assert not QuarterResult.objects.filter(indicator=indicator).exists() and not Evidence.objects.exists()
    pending = hidden_pending(response)
    assert len(pending) == 1

    # The second post carries no file, only what the page sent back.
    response = post_report(reporter_client, indicator, value="150", narrative="เกินร้อยละร้อย",
                           confirm_plausible="on", pending=pending)
    assert response.status_code == 302
    evidence = Evidence.objects.get(indicator=indicator, quarter=1)
    assert evidence.original_name == "ภาพกิจกรรม.png" and evidence.content_type == "image/png"
    with evidence.file.open("rb") as stored:
        assert stored.read() == png_bytes()
    assert evidence.uploaded_by.pk == int(reporter_client.session["_auth_user_id"])
    assert evidence.history.latest().history_change_reason == "แนบไฟล์หลักฐาน"
    assert not PendingEvidence.objects.exists()
    assert len(files_on_disk(media_root)) == 1  # the kept file became the evidence's, not a copy
    assert "ภาพกิจกรรม.png" in page_text(reporter_client.get(indicator.get_absolute_url()))


def test_file_is_kept_across_any_form_error(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="สิบ", files=[png_file("ภาพกิจกรรม.png")])
    assert response.status_code == 400
    assert "โปรดกรอกผลงานเป็นตัวเลข" in page_text(response) and KEPT in page_text(response)
    # Refused a second time (still not a number): still kept, once.
    response = post_report(reporter_client, indicator, value="สิบเอ็ด", pending=hidden_pending(response))
    assert page_text(response).count(KEPT) == 1
    assert post_report(reporter_client, indicator, value="10", pending=hidden_pending(response)).status_code == 302
    assert Evidence.objects.get(indicator=indicator).original_name == "ภาพกิจกรรม.png"


def test_a_kept_file_can_be_dropped(reporter_client, indicator, media_root):
    response = post_report(reporter_client, indicator, value="150", files=[png_file("ภาพกิจกรรม.png")])
    [pending] = hidden_pending(response)
    assert 'name="drop_pending"' in response.content.decode() and "ไม่แนบไฟล์นี้" in page_text(response)

    response = post_report(reporter_client, indicator, value="150", confirm_plausible="on",
                           pending=[pending], drop_pending=[pending])
    assert response.status_code == 302
    assert not Evidence.objects.exists() and not PendingEvidence.objects.exists()
    assert files_on_disk(media_root) == []


def test_kept_files_are_still_checked(reporter_client, indicator, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post_report(reporter_client, indicator, value="150",
                           files=[SimpleUploadedFile("ภาพ.png", b"<script>alert(1)</script>")])
    assert "ไม่ตรงกับนามสกุล" in page_text(response)
    assert hidden_pending(response) == [] and not PendingEvidence.objects.exists()
    assert files_on_disk(media_root) == []


def test_nobody_else_sees_or_uses_a_kept_file(reporter_client, indicator, make_user):
    response = post_report(reporter_client, indicator, value="150", files=[png_file("ภาพกิจกรรม.png")])
    [pending] = hidden_pending(response)

    colleague = Client()
    colleague.force_login(make_user("reporter", [indicator.owner]))
    assert "ภาพกิจกรรม.png" not in page_text(colleague.get(report_url(indicator)))
    response = post_report(colleague, indicator, value="150", confirm_plausible="on", pending=[pending])
    assert response.status_code == 400
    assert "ไฟล์ที่แนบไว้ก่อนหน้านี้บางไฟล์หมดอายุแล้ว" in page_text(response)
    assert "ภาพกิจกรรม.png" not in page_text(response)
    assert not Evidence.objects.exists() and PendingEvidence.objects.count() == 1
    # Nor on another quarter of the same user.
    from .entry_support import set_window

    set_window(indicator, 2)
    response = post_report(reporter_client, indicator, 2, value="50", pending=[pending])
    assert response.status_code == 400 and not Evidence.objects.exists()


def test_kept_files_expire(reporter_client, indicator, media_root):
    response = post_report(reporter_client, indicator, value="150", files=[png_file("ภาพกิจกรรม.png")])
    pending = hidden_pending(response)
    PendingEvidence.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=pending_evidence.KEEP_HOURS, minutes=1)
    )
    out = io.StringIO()
    call_command("cleanup_pending_evidence", stdout=out)
    assert "deleted: 1" in out.getvalue()
    assert not PendingEvidence.objects.exists() and files_on_disk(media_root) == []

    response = post_report(reporter_client, indicator, value="150", confirm_plausible="on", pending=pending)
    assert response.status_code == 400
    assert "หมดอายุแล้ว" in page_text(response) and not Evidence.objects.exists()


def test_an_expired_file_is_deleted_by_the_next_refused_post(reporter_client, indicator, media_root):
    post_report(reporter_client, indicator, value="150", files=[png_file("ภาพกิจกรรม.png")])
    PendingEvidence.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=pending_evidence.KEEP_HOURS + 1)
    )
    response = post_report(reporter_client, indicator, value="150", files=[png_file("ภาพใหม่.png", (0, 90, 0))])
    assert "ไฟล์ที่แนบไว้: ภาพใหม่.png" in page_text(response) and "ภาพกิจกรรม.png" not in page_text(response)
    assert [p.original_name for p in PendingEvidence.objects.all()] == ["ภาพใหม่.png"]
    assert len(files_on_disk(media_root)) == 1
