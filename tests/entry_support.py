"""Helpers shared by the data-entry tests (test_entry_*.py, the permission
matrix and the browser test). Windows are set relative to today, so no test
depends on the date it runs."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from indicators.models import Indicator, Quarter, QuarterResult

from .factories import AgencyFactory, IndicatorFactory


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def set_window(indicator, number=1, *, open_now=True):
    today = timezone.localdate()
    if open_now:
        opens, closes = today - datetime.timedelta(days=5), today + datetime.timedelta(days=5)
    else:
        opens, closes = today - datetime.timedelta(days=40), today - datetime.timedelta(days=10)
    quarter, _ = Quarter.objects.update_or_create(
        fiscal_year=indicator.fiscal_year, number=number, defaults={"opens_on": opens, "closes_on": closes}
    )
    return quarter


def open_indicator(**kwargs):
    """An indicator of a new agency with quarter 1 open today."""
    kwargs.setdefault("owner", AgencyFactory())
    indicator = IndicatorFactory(**kwargs)
    set_window(indicator, 1)
    return indicator


def report_url(indicator, quarter=1):
    return f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/{quarter}/report/"


def current_version(indicator, quarter=1):
    result = QuarterResult.objects.filter(indicator=indicator, quarter=quarter).first()
    return result.version if result else 0


def post_report(client, indicator, quarter=1, *, value="", narrative="", action="draft", version=None,
                files=None, **extra):
    data = {
        "version": current_version(indicator, quarter) if version is None else version,
        "value": value,
        "narrative": narrative,
        "action": action,
        **extra,
    }
    if files:
        data["files"] = files
    return client.post(report_url(indicator, quarter), data)


def png_bytes(colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_file(name="ภาพกิจกรรม.png", colour=(200, 30, 30)):
    """A small PNG; give two files of one quarter different colours, or the
    second is refused as the same file attached twice."""
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def pdf_file(name="หนังสือเชิญประชุม.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def docx_file(name="รายงาน.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_file(name="ตาราง.xlsx"):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def ole_file(name):
    return SimpleUploadedFile(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


# Narratives as a reporter may paste them, with what the server counts
# (reports/forms.py LongTextField: stripped, line endings as "\n", code
# points). The live counter (static/js/char-counter.js) must say the same:
# test_entry_form and test_browser_char_counter use these very strings.
COUNTED_TEXTS = [
    # A trailing line break, as a word processor's copy gives.
    ("ก" * 50_049 + "\n", 50_049),
    # An emoji: one character for Python, two UTF-16 units for JavaScript.
    ("ก" * 50_048 + "😀", 50_049),
    # Spaces around (an ideographic and a no-break one too), a Windows line
    # ending inside, Thai combining marks.
    ("\u3000 " + "กำ่" * 8_000 + "\r\n" + "ข" * 26_048 + " \u00a0\n", 50_049),
    # At the limit exactly: accepted.
    ("😀" * 10 + "ก" * 49_990 + "\n\n", 50_000),
]


# A district office's indicator of the demo (fixtures/demo_current.json):
# target 25 ชุมชน, cumulative; rajthewi reports on it.
DISTRICT_CODE = "5013-0001"


@pytest.fixture
def district_demo():
    """The demo loaded, DISTRICT_CODE's quarter 1 open for entry."""
    call_command("load_demo", quiet_logins=True)
    indicator = Indicator.objects.get(code=DISTRICT_CODE)
    set_window(indicator, 1)
    return indicator
