"""Evidence storage faults: a write that fails half-way (a full disk) leaves
no partial file and saves nothing, with a Thai message and the typed text
kept; a stored file that went missing is shown as missing and its download
answers 410 Gone with a Thai page."""

import errno
from pathlib import Path

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile

from indicators.models import QuarterResult
from reports.models import Evidence
from web.storage import EvidenceStorage

from .entry_support import open_indicator, png_bytes, png_file, post_report

pytestmark = pytest.mark.usefixtures("media_root")


class DiskFullUpload(SimpleUploadedFile):
    """Yields its first chunk, then fails as a full disk does."""

    def chunks(self, chunk_size=None):
        yield self.read(64)
        raise OSError(errno.ENOSPC, "No space left on device")


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def indicator(db):
    return open_indicator()


def test_the_storage_removes_its_partial_file(media_root):
    storage = EvidenceStorage(location=media_root)
    with pytest.raises(OSError):
        storage.save("evidence/1/abc", DiskFullUpload("a.png", png_bytes() * 100))
    assert files_on_disk(media_root) == []


def test_a_full_disk_saves_nothing_and_keeps_the_typed_text(reporter_client, indicator, media_root, monkeypatch):
    # The disk fills up while the server writes the second file.
    real_chunks = InMemoryUploadedFile.chunks

    def chunks(self, chunk_size=None):
        if self.name != "ภาพ.png":
            yield from real_chunks(self, chunk_size)
            return
        yield self.read(64)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(InMemoryUploadedFile, "chunks", chunks)
    response = post_report(reporter_client, indicator, value="12", narrative="รายงานที่พิมพ์ไว้",
                           files=[png_file("ก่อน.png"), png_file("ภาพ.png", (0, 0, 200))])

    assert response.status_code == 400
    page = response.content.decode()
    assert "เก็บไฟล์ “ภาพ.png” ไม่สำเร็จ" in page
    assert "รายงานที่พิมพ์ไว้" in page
    assert files_on_disk(media_root) == []  # the file stored before the failure went too
    assert not Evidence.objects.exists()
    assert not QuarterResult.objects.filter(indicator=indicator).exists()
    # Nor kept for later on a failing disk: the form asks for the files again.
    assert "โปรดเลือกไฟล์อีกครั้ง" in page and "จะบันทึกเมื่อกดบันทึก" not in page


@pytest.fixture
def lost_evidence(reporter_client, indicator, media_root):
    post_report(reporter_client, indicator, value="12", files=[png_file("ภาพกิจกรรม.png")])
    evidence = Evidence.objects.get()
    Path(evidence.file.path).unlink()
    return evidence


def test_a_missing_file_is_listed_as_missing(reporter_client, indicator, lost_evidence):
    page = reporter_client.get(indicator.get_absolute_url()).content.decode()
    assert "ภาพกิจกรรม.png</span> <span class=\"badge text-bg-danger\">ไฟล์สูญหาย" in page
    assert f"/evidence/{lost_evidence.pk}/" not in page
    form = reporter_client.get(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/")
    assert "ไฟล์สูญหาย" in form.content.decode()


def test_downloading_a_missing_file_answers_gone(reporter_client, lost_evidence):
    response = reporter_client.get(f"/evidence/{lost_evidence.pk}/")
    assert response.status_code == 410
    assert "ไม่พบตัวไฟล์ในที่เก็บไฟล์แล้ว" in response.content.decode()
    lost_evidence.refresh_from_db()
    assert lost_evidence.removed_at is None  # the record stays, for history and for a restore


def test_a_stored_file_is_not_reported_missing(reporter_client, indicator, media_root):
    post_report(reporter_client, indicator, value="12", files=[png_file("ภาพ.png")])
    evidence = Evidence.objects.get()
    assert evidence.file_missing is False
    assert reporter_client.get(f"/evidence/{evidence.pk}/").status_code == 200
