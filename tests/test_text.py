import datetime
from decimal import Decimal as D

from indicators import text


def test_thai_digits_roundtrip():
    assert text.to_thai_digits("5.2.1.1") == "๕.๒.๑.๑"
    assert text.to_arabic_digits("๕.๒.๑.๑") == "5.2.1.1"


def test_format_number_uses_the_indicators_places():
    assert text.format_number(D("70"), 0) == "70"
    assert text.format_number(D("1234.5"), 2) == "1,234.50"
    assert text.format_number(D("2.345"), 2) == "2.35"
    assert text.format_number(None, 2) == ""


def test_thai_date_is_buddhist_era():
    assert text.thai_date(datetime.date(2020, 1, 29)) == "29 ม.ค. 2563"


def test_narrative_escapes_html():
    html = text.narrative_html('<script>alert("x")</script>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_narrative_keeps_typed_line_breaks():
    assert text.narrative_html("บรรทัดแรก\nบรรทัดสอง") == "บรรทัดแรก<br>บรรทัดสอง"


def test_narrative_puts_inline_numbered_items_on_their_own_lines():
    html = text.narrative_html("ดังนี้ 1. หนังสือเชิญประชุม 2. แนวทาง 2.1 ทะเบียน 1) ข้อมูล ๒. อื่น ๆ - ภาพถ่าย")
    assert html == "ดังนี้<br>1. หนังสือเชิญประชุม<br>2. แนวทาง<br>2.1 ทะเบียน<br>1) ข้อมูล<br>๒. อื่น ๆ<br>- ภาพถ่าย"


def test_narrative_leaves_times_and_dates_alone():
    line = "ลว 29 ม.ค. 2563 เวลา 09.30 – 11.00 น. (11 สค. 63) ณ สำนักงานเขต"
    assert text.narrative_html(line) == line
