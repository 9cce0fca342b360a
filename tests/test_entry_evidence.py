"""Evidence files: accepted types, refusals by extension, by content and by
size (each naming the file), storage under generated names outside the static
root, downloads only through the checking view, and removal that keeps the record."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import QuarterResult
from reports.models import Evidence, Narrative, PendingEvidence

from .entry_support import (
    docx_file,
    ole_file,
    open_indicator,
    pdf_file,
    png_bytes,
    png_file,
    post_report,
    xlsx_file,
)
from .helpers import page_text

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def indicator(db):
    return open_indicator()


def files_on_disk(root):
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


@pytest.mark.parametrize(
    "make, content_type",
    [
        (lambda: png_file("ภาพ.png"), "image/png"),
        (lambda: SimpleUploadedFile("ภาพ.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64), "image/jpeg"),
        (lambda: SimpleUploadedFile("ภาพ.gif", b"GIF89a" + b"\x00" * 32), "image/gif"),
        (lambda: SimpleUploadedFile("ภาพ.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32), "image/webp"),
        (pdf_file, "application/pdf"),
        (docx_file, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx_file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (lambda: ole_file("เก่า.doc"), "application/msword"),
        (lambda: ole_file("เก่า.xls"), "application/vnd.ms-excel"),
    ],
)
def test_allowed_types_are_stored_under_generated_names(reporter_client, indicator, media_root, make, content_type):
    uploaded = make()
    response = post_report(reporter_client, indicator, files=[uploaded])
    assert response.status_code == 302
    evidence = Evidence.objects.get(indicator=indicator)
    assert evidence.original_name == uploaded.name
    assert evidence.content_type == content_type
    [stored] = files_on_disk(media_root)
    assert stored.name != uploaded.name and "." not in stored.name  # generated, no extension of ours
    assert str(stored).startswith(str(media_root))
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert stored.stat().st_size == evidence.size


@pytest.mark.parametrize("name", ["โปรแกรม.exe", "หน้าเว็บ.html", "ภาพ.svg", "ไม่มีนามสกุล", "สคริปต์.js"])
def test_wrong_extension_is_refused_by_name(reporter_client, indicator, media_root, name):
    response = post_report(reporter_client, indicator, narrative="ข้อความ",
                           files=[SimpleUploadedFile(name, png_bytes())])
    assert response.status_code == 400
    [message] = response.context["form"].errors["files"]
    assert f"ไฟล์ “{name}” ไม่ใช่ชนิดที่รับได้" in message
    assert not Evidence.objects.exists() and files_on_disk(media_root) == []


@pytest.mark.parametrize(
    "name, content",
    [
        ("ภาพกิจกรรม.jpg", b"MZ\x90\x00 this is an executable"),
        ("ภาพกิจกรรม.png", b"<script>alert(1)</script>"),
        ("หนังสือ.pdf", png_bytes()),
        ("รายงาน.docx", b"PK\x03\x04 not really a zip"),
        ("ตาราง.xls", b"plain text pretending"),
    ],
)
def test_content_must_match_the_extension(reporter_client, indicator, media_root, name, content):
    response = post_report(reporter_client, indicator, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    [message] = response.context["form"].errors["files"]
    assert f"เนื้อหาของไฟล์ “{name}” ไม่ตรงกับนามสกุล" in message
    assert not Evidence.objects.exists() and files_on_disk(media_root) == []


def test_a_zip_named_docx_without_a_document_is_refused(reporter_client, indicator):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    response = post_report(reporter_client, indicator, files=[SimpleUploadedFile("สลับ.docx", buffer.getvalue())])
    assert response.status_code == 400
    assert "สลับ.docx" in " ".join(response.context["form"].errors["files"])
    assert not Evidence.objects.filter(indicator=indicator).exists()


def test_oversized_file_is_refused_by_name(reporter_client, indicator, media_root):
    exactly = SimpleUploadedFile("พอดี.png", png_bytes().ljust(TEN_MB, b"\x00"))
    assert post_report(reporter_client, indicator, files=[exactly]).status_code == 302

    too_big = SimpleUploadedFile("ใหญ่เกิน.png", png_bytes().ljust(TEN_MB + 1, b"\x00"))
    response = post_report(reporter_client, indicator, files=[too_big])
    assert response.status_code == 400
    [message] = response.context["form"].errors["files"]
    assert "ไฟล์ “ใหญ่เกิน.png” มีขนาด 10.0 MB เกินขนาดสูงสุด 10 MB" == message
    assert Evidence.objects.count() == 1 and len(files_on_disk(media_root)) == 1


def test_one_bad_file_saves_nothing_and_names_only_the_bad_one(reporter_client, indicator, media_root):
    response = post_report(reporter_client, indicator, value="3", narrative="ข้อความ",
                           files=[png_file("ดี.png"), SimpleUploadedFile("เสีย.pdf", b"not a pdf")])
    assert response.status_code == 400
    messages = response.context["form"].errors["files"]
    assert len(messages) == 1 and "เสีย.pdf" in messages[0]
    # The good file is kept for the next save (pending), the bad one is not.
    assert "ไฟล์ที่แนบไว้: ดี.png (จะบันทึกเมื่อกดบันทึก)" in page_text(response)
    assert "เสีย.pdf (จะบันทึกเมื่อกดบันทึก)" not in page_text(response)
    assert not Evidence.objects.exists() and len(files_on_disk(media_root)) == 1


def test_download_sends_the_file_with_its_own_name(reporter_client, indicator):
    post_report(reporter_client, indicator, files=[png_file("ภาพถ่าย กิจกรรม.png")])
    evidence = Evidence.objects.get()
    response = reporter_client.get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E0%B8%A0" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == png_bytes()


def test_removing_evidence_keeps_its_record_and_file(reporter_client, indicator, media_root, make_user):
    post_report(reporter_client, indicator, files=[png_file("เก็บไว้.png"), png_file("ลบทิ้ง.png", (0, 0, 200))])
    remove = Evidence.objects.get(original_name="ลบทิ้ง.png")
    response = post_report(reporter_client, indicator, remove_evidence=[remove.pk])
    assert response.status_code == 302

    remove.refresh_from_db()
    assert remove.removed_at is not None and remove.removed_by is not None
    assert len(files_on_disk(media_root)) == 2  # the file stays for the record
    page = reporter_client.get(indicator.get_absolute_url()).content.decode()
    assert "เก็บไว้.png" in page and "ลบทิ้ง.png" not in page
    assert reporter_client.get(f"/evidence/{remove.pk}/").status_code == 404
    assert [h.history_type for h in remove.history.order_by("history_date")] == ["+", "~"]
    assert remove.history.latest().history_change_reason == "ลบไฟล์หลักฐาน"


def test_evidence_of_another_indicator_cannot_be_removed_through_this_form(reporter_client, indicator, make_user):
    other = open_indicator()
    other_evidence = Evidence.objects.create(
        indicator=other, quarter=1, file="evidence/x", original_name="ของคนอื่น.pdf",
        content_type="application/pdf", size=10,
    )
    response = post_report(reporter_client, indicator, remove_evidence=[other_evidence.pk])
    assert response.status_code == 400
    other_evidence.refresh_from_db()
    assert other_evidence.removed_at is None


def test_the_same_file_twice_on_a_quarter_is_refused_naming_the_first(reporter_client, indicator, media_root):
    """Issue 29 point 16: the same content (whatever its name) is attached once."""
    assert post_report(reporter_client, indicator, value="3", files=[png_file("ภาพกิจกรรม.png")]).status_code == 302
    response = post_report(reporter_client, indicator, value="4", narrative="แก้ไขแล้ว",
                           files=[png_file("ภาพกิจกรรม สำเนา.png")])
    assert response.status_code == 400
    [message] = response.context["form"].errors["files"]
    assert message == "ไฟล์ “ภาพกิจกรรม สำเนา.png” มีเนื้อหาเดียวกับไฟล์ “ภาพกิจกรรม.png” ที่แนบไว้แล้วในไตรมาสนี้ จึงไม่แนบซ้ำ"
    assert message in page_text(response)
    # Nothing else of that post was saved, and the copy was not kept for later.
    assert QuarterResult.objects.get(indicator=indicator).value == Decimal("3")
    assert not Narrative.objects.filter(indicator=indicator).exclude(text="").exists()
    assert Evidence.objects.count() == 1 and not PendingEvidence.objects.exists()
    assert len(files_on_disk(media_root)) == 1


def test_the_same_file_chosen_twice_at_once_is_attached_once(reporter_client, indicator):
    response = post_report(reporter_client, indicator, files=[png_file("ก.png"), png_file("ข.png")])
    assert response.status_code == 400
    assert "ไฟล์ “ข.png” มีเนื้อหาเดียวกับไฟล์ “ก.png”" in page_text(response)
    assert not Evidence.objects.exists()
    # The first is kept for the next save; it is then attached once.
    assert "ไฟล์ที่แนบไว้: ก.png" in page_text(response)
    [kept] = PendingEvidence.objects.all()
    assert post_report(reporter_client, indicator, pending=[kept.pk], files=[png_file("ค.png")]).status_code == 400
    assert post_report(reporter_client, indicator, pending=[kept.pk]).status_code == 302
    assert [e.original_name for e in Evidence.objects.all()] == ["ก.png"]


def test_a_file_stored_before_hashes_were_kept_is_compared_too(reporter_client, indicator):
    post_report(reporter_client, indicator, files=[png_file("เก่า.png")])
    Evidence.objects.update(content_hash="")  # as stored before this check existed
    response = post_report(reporter_client, indicator, files=[png_file("ใหม่.png")])
    assert "มีเนื้อหาเดียวกับไฟล์ “เก่า.png”" in page_text(response)
    assert Evidence.objects.get().content_hash  # filled in on the way


def test_a_removed_file_may_be_attached_again(reporter_client, indicator):
    post_report(reporter_client, indicator, files=[png_file("ภาพ.png")])
    old = Evidence.objects.get()
    assert post_report(reporter_client, indicator, remove_evidence=[old.pk],
                       files=[png_file("ภาพ.png")]).status_code == 302
    assert Evidence.objects.filter(removed_at__isnull=True).count() == 1
