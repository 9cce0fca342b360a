"""The quarter report form: saving, submitting, and every validation case of
issue 3 (Thai messages next to the field, nothing saved half-way, nothing
typed lost)."""

import html
from decimal import Decimal

import pytest

from indicators.models import DistrictGroup, QuarterResult
from reports.models import Evidence, Narrative

from .entry_support import COUNTED_TEXTS, open_indicator, png_file, post_report, report_url
from .factories import DistrictGroupFactory, QuarterResultFactory
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    # A large target: the numbers typed here are about parsing, not plausibility.
    return open_indicator(decimal_places=0, unit="ชุมชน", annual_target=Decimal("5000000"))


def field_errors(response, name):
    """The error messages rendered right after the named field."""
    return response.context["form"].errors.get(name, [])


def nothing_saved(indicator):
    return (
        not QuarterResult.objects.filter(indicator=indicator).exists()
        and not Narrative.objects.filter(indicator=indicator).exists()
        and not Evidence.objects.filter(indicator=indicator).exists()
    )


def test_form_page_shows_the_fields(reporter_client, indicator):
    response = reporter_client.get(report_url(indicator))
    assert response.status_code == 200
    page = page_text(response)
    assert "รายงานผลไตรมาสที่ 1" in page
    assert "ผลงาน (ชุมชน)" in page and "บันทึกฉบับร่าง" in page and "ส่งผลเพื่อตรวจประเมิน" in page
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_save_draft_then_submit(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="12", narrative="ดำเนินการแล้ว 12 ชุมชน")
    assert response.status_code == 302
    assert response["Location"] == f"{indicator.get_absolute_url()}#messages"
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert (result.value, result.status, result.version) == (Decimal("12"), "draft", 1)
    assert result.submitted_at is None

    response = post_report(reporter_client, indicator, value="13", narrative="ครบ 13 ชุมชน", action="submit")
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.value, result.status, result.version) == (Decimal("13"), "submitted", 2)
    assert result.submitted_at is not None and result.submitted_by.username == result.updated_by.username
    assert Narrative.objects.get(indicator=indicator, quarter=1, district_group=None).text == "ครบ 13 ชุมชน"


def test_detail_page_shows_what_was_saved(reporter_client, indicator):
    post_report(reporter_client, indicator, value="1,234", narrative="ผลการดำเนินงานไตรมาสแรก",
                files=[png_file("ภาพถ่ายกิจกรรม.png")], action="submit")
    response = reporter_client.get(indicator.get_absolute_url())
    page = page_text(response)
    assert "1,234" in page
    assert "ผลการดำเนินงานไตรมาสแรก" in page
    assert "ภาพถ่ายกิจกรรม.png" in page
    assert "ส่งแล้ว รอตรวจ" in page
    evidence = Evidence.objects.get(indicator=indicator)
    assert f"/evidence/{evidence.pk}/" in response.content.decode()


def test_result_is_required_to_submit_but_not_for_a_draft(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="", narrative="ยังไม่มีผล", action="submit")
    assert response.status_code == 400
    assert field_errors(response, "value") == ["กรุณากรอกผลงานก่อนส่งผลการดำเนินงาน"]
    assert "ยังไม่มีผล" in response.content.decode()  # what was typed comes back
    assert nothing_saved(indicator)

    assert post_report(reporter_client, indicator, value="", narrative="ยังไม่มีผล").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator).value is None


@pytest.mark.parametrize("typed", ["สิบสอง", "12abc", "1,2", "1..2", "--3", "12,34.5"])
def test_not_a_number_is_refused_in_thai(reporter_client, indicator, typed):
    response = post_report(reporter_client, indicator, value=typed, narrative="ข้อความที่พิมพ์ไว้")
    assert response.status_code == 400
    assert field_errors(response, "value") == ["โปรดกรอกผลงานเป็นตัวเลข เช่น 1,234 หรือ ๑๒"]
    assert f'value="{html.escape(typed)}"' in response.content.decode()
    assert "ข้อความที่พิมพ์ไว้" in response.content.decode()
    assert nothing_saved(indicator)


@pytest.mark.parametrize(
    "typed, stored",
    [("๑๒", "12"), ("๑,๒๓๔", "1234"), ("1,234,567", "1234567"), (" 12 ", "12"), ("๐", "0")],
)
def test_thai_digits_and_thousands_separators_are_understood(reporter_client, indicator, typed, stored):
    assert post_report(reporter_client, indicator, value=typed).status_code == 302
    assert QuarterResult.objects.get(indicator=indicator).value == Decimal(stored)


def test_negative_refused_unless_the_indicator_allows_it(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="-5")
    assert field_errors(response, "value") == ["ผลงานของตัวชี้วัดนี้ต้องไม่ติดลบ"]
    assert nothing_saved(indicator)

    indicator.allows_negative = True
    indicator.save()
    assert post_report(reporter_client, indicator, value="-5").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator).value == Decimal("-5")


def test_no_more_decimals_than_the_indicator_has(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="12.5")
    assert field_errors(response, "value") == ["ตัวชี้วัดนี้รับผลงานเป็นจำนวนเต็มเท่านั้น"]

    indicator.decimal_places = 2
    indicator.save()
    response = post_report(reporter_client, indicator, value="12.345")
    assert field_errors(response, "value") == ["ตัวชี้วัดนี้รับทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]
    assert nothing_saved(indicator)
    assert post_report(reporter_client, indicator, value="๑,๒๑๒.๕๐").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator).value == Decimal("1212.5")


def test_too_large_a_number_is_refused(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="1" + "0" * 16)
    assert field_errors(response, "value") == ["ตัวเลขมากเกินไป"]
    assert nothing_saved(indicator)


def test_cumulative_result_lower_than_before_asks_for_confirmation(reporter_client, indicator):
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("20"), status="accepted")
    from .entry_support import set_window

    set_window(indicator, 2)
    response = post_report(reporter_client, indicator, 2, value="15", narrative="ลดลงเพราะยุบชุมชน")
    assert response.status_code == 400
    [flag] = response.context["form"].plausibility_flags
    assert "น้อยกว่าผลของไตรมาสก่อน (20)" in flag.message
    assert "ยืนยันว่าถูกต้อง" in field_errors(response, "confirm_plausible")[0]
    assert 'name="confirm_plausible"' in response.content.decode()
    assert not QuarterResult.objects.filter(indicator=indicator, quarter=2).exists()

    response = post_report(reporter_client, indicator, 2, value="15", narrative="ลดลงเพราะยุบชุมชน",
                           confirm_plausible="on")
    assert response.status_code == 302
    saved = QuarterResult.objects.get(indicator=indicator, quarter=2)
    assert saved.value == Decimal("15") and saved.plausibility_confirmed
    assert [f["code"] for f in saved.plausibility_flags] == ["decrease"]


def test_no_confirmation_needed_when_not_cumulative(reporter_client, indicator):
    indicator.aggregation = "sum"
    indicator.save()
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("20"), status="accepted")
    from .entry_support import set_window

    set_window(indicator, 2)
    assert post_report(reporter_client, indicator, 2, value="5").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator, quarter=2).value == Decimal("5")


def test_narrative_up_to_50000_characters(reporter_client, indicator):
    exactly = "ก" * 50_000
    assert post_report(reporter_client, indicator, narrative=exactly).status_code == 302
    assert len(Narrative.objects.get(indicator=indicator).text) == 50_000

    too_long = "ข" * 50_001
    response = post_report(reporter_client, indicator, narrative=too_long)
    assert response.status_code == 400
    [message] = field_errors(response, "narrative")
    assert "50,001" in message and "50,000" in message
    assert too_long in response.content.decode()  # not cut: the reporter keeps it all
    assert 'maxlength' not in response.content.decode()
    assert Narrative.objects.get(indicator=indicator).text == exactly


@pytest.mark.parametrize(("typed", "counted"), COUNTED_TEXTS)
def test_the_server_counts_as_the_live_counter_does(reporter_client, indicator, typed, counted):
    """The same strings as test_browser_char_counter: the message names the
    length the counter under the box showed."""
    response = post_report(reporter_client, indicator, narrative=typed)
    if counted <= 50_000:
        assert response.status_code == 302
        assert len(Narrative.objects.get(indicator=indicator).text) == counted
    else:
        assert response.status_code == 400
        [message] = field_errors(response, "narrative")
        assert f"ข้อความยาว {counted:,} ตัวอักษร เกินกำหนด 50,000 ตัวอักษร" in message


def test_windows_line_endings_count_once(reporter_client, indicator):
    assert post_report(reporter_client, indicator, narrative="บรรทัด 1\r\nบรรทัด 2").status_code == 302
    assert Narrative.objects.get(indicator=indicator).text == "บรรทัด 1\nบรรทัด 2"


def test_html_in_text_is_shown_as_text(reporter_client, indicator):
    typed = '<img src=x onerror="alert(1)"><b>ตัวหนา</b>'
    post_report(reporter_client, indicator, value="1", narrative=typed)
    assert Narrative.objects.get(indicator=indicator).text == typed  # stored as typed
    for url in (indicator.get_absolute_url(), report_url(indicator)):
        page = reporter_client.get(url).content.decode()
        assert "<img src=x" not in page and "<b>ตัวหนา</b>" not in page
        assert "&lt;img src=x onerror=" in page


def test_narrative_part_per_district_group(reporter_client, indicator):
    indicator.reports_by_district_group = True
    indicator.save()
    north, south = DistrictGroupFactory(name="กลุ่มเหนือทดสอบ"), DistrictGroupFactory(name="กลุ่มใต้ทดสอบ")
    page = reporter_client.get(report_url(indicator)).content.decode()
    assert "รายงานผล กลุ่มเหนือทดสอบ" in page and "รายงานผล กลุ่มใต้ทดสอบ" in page

    response = post_report(
        reporter_client, indicator, value="2", narrative="ภาพรวม",
        **{f"narrative_group_{north.pk}": "ส่วนของกลุ่มเหนือ", f"narrative_group_{south.pk}": ""},
    )
    assert response.status_code == 302
    parts = {n.district_group_id: n.text for n in Narrative.objects.filter(indicator=indicator)}
    assert parts == {None: "ภาพรวม", north.pk: "ส่วนของกลุ่มเหนือ"}
    page = page_text(reporter_client.get(indicator.get_absolute_url()))
    assert page.index("ภาพรวม") < page.index("กลุ่มเหนือทดสอบ") < page.index("ส่วนของกลุ่มเหนือ")


def test_group_parts_are_not_offered_when_the_indicator_does_not_report_by_group(reporter_client, indicator):
    DistrictGroupFactory(name="กลุ่มเหนือทดสอบ")
    assert "narrative_group_" not in reporter_client.get(report_url(indicator)).content.decode()
    assert DistrictGroup.objects.exists()


def test_saved_values_fill_the_form_again(reporter_client, indicator):
    indicator.decimal_places = 2
    indicator.save()
    post_report(reporter_client, indicator, value="12.5", narrative="ข้อความเดิม")
    page = reporter_client.get(report_url(indicator)).content.decode()
    assert 'value="12.50"' in page and "ข้อความเดิม" in page
    assert 'name="version" value="1"' in page


@pytest.mark.parametrize("action, message", [("draft", "บันทึกฉบับร่างไตรมาสที่ 1 แล้ว"),
                                             ("submit", "ส่งผลการดำเนินงานไตรมาสที่ 1 แล้ว")])
def test_after_saving_the_page_opens_on_its_message(reporter_client, indicator, action, message):
    """Issue 29 point 7: the redirect lands on the message (not on the
    quarter's section below it), and the message links to the quarter."""
    response = post_report(reporter_client, indicator, value="12", action=action)
    assert response["Location"] == f"{indicator.get_absolute_url()}#messages"
    markup = reporter_client.get(response["Location"].split("#")[0]).content.decode()
    start = markup.index('id="messages"')
    shown = markup[start:markup.index("</div>\n", markup.index('role="alert"', start))]
    assert message in page_text(shown)
    assert 'href="#narrative-1"' in shown and "ดูรายงานผลฯ ไตรมาสที่ 1" in page_text(shown)
    # The anchor is the first thing of the page's content, the quarter's section far below it.
    assert start < markup.index('<h1>') < markup.index('id="narrative-1"')
