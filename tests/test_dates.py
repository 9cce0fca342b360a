"""Issue 29 point 10: dates typed and shown as day/month/Buddhist Era year
(indicators/dates.py) in every form that asks for one: the evaluator's
return and reopen deadline, the rollover's windows, and the admin's
windows and extensions. The browser's date picker showed 12/18/2026."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from evaluation.services import default_correct_by
from indicators.dates import format_date_input, parse_date_input
from indicators.models import FiscalYear, Quarter, QuarterResult
from indicators.text import thai_date

from .factories import IndicatorFactory, QuarterResultFactory
from .helpers import page_text

DAY = datetime.date(2026, 12, 18)


class TestParse:
    @pytest.mark.parametrize("text", ["18/12/2569", "๑๘/๑๒/๒๕๖๙", " 18 / 12 / 2569 ", "18-12-2569", "18.12.2569",
                                      "18 ธ.ค. 2569", "18 ธค 2569", "18 ธ.ค.2569", "2026-12-18"])
    def test_thai_readings_of_one_day(self, text):
        assert parse_date_input(text, "th") == DAY

    def test_day_and_month_come_first(self):
        assert parse_date_input("1/2/2570", "th") == datetime.date(2027, 2, 1)
        assert parse_date_input("01/02/2570", "th") == datetime.date(2027, 2, 1)

    def test_empty_is_none(self):
        assert parse_date_input("  ", "th") is None

    @pytest.mark.parametrize("text, message", [
        ("18/12/2026", "ปี 2026 เป็นปี ค.ศ. กรุณาพิมพ์ปีเป็น พ.ศ. (2569) เช่น 18/12/2569"),
        ("12/18/2569", "ไม่มีวันที่ 12/18/2569 ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"),
        ("29/02/2569", "ไม่มีวันที่ 29/02/2569 ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"),
        ("18/12/69", "กรุณาพิมพ์ปีเป็นตัวเลข 4 หลัก เช่น 18/12/2569"),
        ("พรุ่งนี้", "อ่านวันที่ “พรุ่งนี้” ไม่ได้ กรุณาพิมพ์เป็น วัน/เดือน/ปี เช่น 18/12/2569"),
        ("18 ธันวา 2569", "อ่านวันที่ “18 ธันวา 2569” ไม่ได้ กรุณาพิมพ์เป็น วัน/เดือน/ปี เช่น 18/12/2569"),
    ])
    def test_bad_input_gets_a_thai_message(self, text, message):
        with translation.override("th"), pytest.raises(ValidationError) as error:
            parse_date_input(text)
        assert error.value.messages == [message]

    def test_a_leap_day_in_a_be_leap_year(self):
        assert parse_date_input("29/02/2567", "th") == datetime.date(2024, 2, 29)

    def test_english_pages_read_gregorian_years_too(self):
        assert parse_date_input("18/12/2026", "en") == DAY
        assert parse_date_input("18 Dec 2026", "en") == DAY
        assert parse_date_input("18/12/2569", "en") == DAY


def test_format():
    assert format_date_input(DAY, "th") == "18/12/2569"
    assert format_date_input(datetime.date(2027, 2, 1), "th") == "01/02/2570"
    assert format_date_input(DAY, "en") == "18/12/2026"
    assert format_date_input(None, "th") == ""


# --- the surfaces ----------------------------------------------------------------


def submitted_quarter():
    indicator = IndicatorFactory(annual_target=Decimal("80"))
    return QuarterResultFactory(indicator=indicator, quarter=2, value=Decimal("40"),
                                status=QuarterResult.Status.SUBMITTED, submitted_at=timezone.now(), version=2)


def review_url(result, action=""):
    base = f"/review/{result.indicator.fiscal_year.year}/{result.indicator.code}/{result.quarter}/"
    return f"{base}{action}/" if action else base


def input_tag(markup, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', markup).group(0)


def test_return_deadline_is_shown_in_be_beside_its_thai_date(evaluator_client):
    result = submitted_quarter()
    markup = evaluator_client.get(review_url(result)).content.decode()
    form = markup[markup.index('id="form-return"'):]
    tag = input_tag(form, "correct_by")
    default = default_correct_by()
    assert 'type="text"' in tag and 'type="date"' not in tag
    assert f'value="{default.day:02d}/{default.month:02d}/{default.year + 543}"' in tag
    assert 'placeholder="วว/ดด/ปปปป"' in tag
    text = page_text(form[:form.index("</form>")])
    assert f"เว้นว่างเพื่อใช้ 14 วันนับจากวันนี้ ({thai_date(default)})" in text
    assert "วัน/เดือน/ปี พ.ศ. เช่น 18/12/2569" in text
    assert f"{default.month:02d}/{default.day:02d}/{default.year}" not in markup  # no US order, no CE year


def test_a_be_date_typed_by_the_evaluator_is_saved(evaluator_client):
    result = submitted_quarter()
    later = timezone.localdate() + datetime.timedelta(days=30)
    typed = f"{later.day}/{later.month}/{later.year + 543}"
    response = evaluator_client.post(review_url(result, "return"),
                                     {"version": 2, "comment": "ขอหลักฐานเพิ่ม", "correct_by": typed})
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.status, result.reopened_until) == ("returned", later)


def test_a_gregorian_year_is_refused_in_thai_and_the_typing_kept(evaluator_client):
    result = submitted_quarter()
    later = timezone.localdate() + datetime.timedelta(days=30)
    typed = f"{later.day:02d}/{later.month:02d}/{later.year}"
    response = evaluator_client.post(review_url(result, "return"),
                                     {"version": 2, "comment": "ขอหลักฐานเพิ่ม", "correct_by": typed})
    assert response.status_code == 400
    assert f"ปี {later.year} เป็นปี ค.ศ. กรุณาพิมพ์ปีเป็น พ.ศ. ({later.year + 543})" in page_text(response)
    assert f'value="{typed}"' in input_tag(response.content.decode(), "correct_by")
    result.refresh_from_db()
    assert result.status == "submitted"


def test_english_pages_show_the_gregorian_year(evaluator_client):
    result = submitted_quarter()
    markup = evaluator_client.get("/en" + review_url(result)).content.decode()
    default = default_correct_by()
    assert f'value="{default.day:02d}/{default.month:02d}/{default.year}"' in input_tag(markup, "correct_by")


def test_rollover_windows_are_typed_in_be(client, make_user, seed):
    client.force_login(make_user("administrator"))
    markup = client.get("/indicators/rollover/").content.decode()
    assert 'type="date"' not in markup
    assert 'placeholder="วว/ดด/ปปปป"' in input_tag(markup, "q1_opens")
    response = client.post("/indicators/rollover/", {"source": 2563, "q1_opens": "1/11/2563",
                                                    "q1_closes": "31/01/2564"}, follow=True)
    assert response.status_code == 200
    window = Quarter.objects.get(fiscal_year__year=2564, number=1)
    assert (window.opens_on, window.closes_on) == (datetime.date(2020, 11, 1), datetime.date(2021, 1, 31))


def test_admin_windows_and_extensions_are_typed_and_shown_in_be(client, seed):
    admin = get_user_model().objects.create_superuser("root-admin", "root@example.org", "pass-1234-word")
    client.force_login(admin)
    window = Quarter.objects.filter(fiscal_year__year=2563, opens_on__isnull=False).order_by("number").first()
    changelist = client.get("/admin/indicators/quarter/").content.decode()
    opens = window.opens_on
    assert f'value="{opens.day:02d}/{opens.month:02d}/{opens.year + 543}"' in changelist
    change = client.get(f"/admin/indicators/quarter/{window.pk}/change/").content.decode()
    assert f'value="{opens.day:02d}/{opens.month:02d}/{opens.year + 543}"' in input_tag(change, "opens_on")
    assert "วัน/เดือน/ปี พ.ศ. เช่น 18/12/2569" in page_text(change)

    response = client.post(f"/admin/indicators/quarter/{window.pk}/change/", {
        "fiscal_year": window.fiscal_year_id, "number": window.number,
        "opens_on": "01/11/2563", "closes_on": "31/1/2564", "_save": "บันทึก",
    })
    assert response.status_code == 302, page_text(response)
    window.refresh_from_db()
    assert (window.opens_on, window.closes_on) == (datetime.date(2020, 11, 1), datetime.date(2021, 1, 31))

    indicator_page = client.get(f"/admin/indicators/indicator/{seed.pk}/change/").content.decode()
    assert 'name="quarter_results-0-reopened_until"' in indicator_page
    assert "วว/ดด/ปปปป" in input_tag(indicator_page, "quarter_results-0-reopened_until")
    assert FiscalYear.objects.filter(year=2563).exists()
