"""Scoring criteria per indicator (issue 12): checked by one function for the
admin and any import, shown on the page and the sheet, and a change to them
(or to the year's scoring settings) is a new sheet version."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from indicators import rules
from indicators.criteria import validate_criteria
from indicators.models import FiscalYear, QuarterResult

from .factories import IndicatorFactory
from .helpers import page_text


def test_validate_criteria_messages_are_thai_and_keyed_by_field():
    validate_criteria([None] * 5, rules.HIGHER_IS_BETTER)
    validate_criteria([60, 70, 70, 90, 100], rules.HIGHER_IS_BETTER)
    with pytest.raises(ValidationError) as gap:
        validate_criteria([60, 70, None, 90, 100], rules.HIGHER_IS_BETTER)
    assert list(gap.value.message_dict) == ["criteria_level_3"]
    assert "ครบทั้ง 5 ระดับ" in gap.value.message_dict["criteria_level_3"][0]
    with pytest.raises(ValidationError) as wrong_way:
        validate_criteria([20, 15, 10, 5, 0], rules.HIGHER_IS_BETTER)
    assert "เรียงจากน้อยไปมาก" in wrong_way.value.message_dict["criteria_level_5"][0]
    with pytest.raises(ValidationError) as wrong_way:
        validate_criteria([60, 70, 80, 90, 100], rules.LOWER_IS_BETTER)
    assert "เรียงจากมากไปน้อย" in wrong_way.value.message_dict["criteria_level_5"][0]


def test_the_admin_refuses_unordered_criteria_and_saves_nothing(db, admin_client):
    indicator = IndicatorFactory()
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data["strategy_nodes"] = []
    data.update({"criteria_level_1": "90", "criteria_level_2": "80", "criteria_level_3": "70",
                 "criteria_level_4": "60", "criteria_level_5": "50"})
    management = {f"quarter_results-{k}": v for k, v in
                  {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "4"}.items()}
    response = admin_client.post(url, {**{k: v for k, v in data.items() if v is not None}, **management})
    assert response.status_code == 200
    assert "เรียงจากน้อยไปมาก" in page_text(response)
    indicator.refresh_from_db()
    assert indicator.criteria == [None] * 5


@pytest.fixture
def scored(db):
    indicator = IndicatorFactory(annual_target=D(100), decimal_places=0, unit="คน",
                                 criteria_level_1=D(60), criteria_level_2=D(70), criteria_level_3=D(80),
                                 criteria_level_4=D(90), criteria_level_5=D(100))
    QuarterResult.objects.create(indicator=indicator, quarter=1, value=D(85))
    return indicator


def test_page_shows_criteria_and_level_beside_the_percent_scores(scored, manager_client):
    text = page_text(manager_client.get(scored.get_absolute_url()))
    assert "เกณฑ์การให้คะแนน (คน) ระดับ 1: 60 · ระดับ 2: 70 · ระดับ 3: 80 · ระดับ 4: 90 · ระดับ 5: 100" in text
    assert "ระดับคะแนน (1-5) 3.5000 (ชั่วคราว ณ ไตรมาสที่ 1)" in text


def test_no_criteria_no_rows(db, manager_client):
    indicator = IndicatorFactory()
    assert "เกณฑ์การให้คะแนน" not in page_text(manager_client.get(indicator.get_absolute_url()))


def test_changing_criteria_is_a_new_sheet_version(scored, manager_client):
    manager_client.get(scored.get_absolute_url())  # cached
    version = scored.sheet_version
    scored.criteria_level_4 = scored.criteria_level_5 = D(85)
    scored.full_clean()
    scored.save()
    assert scored.sheet_version > version
    assert "ระดับคะแนน (1-5) 5.0000" in page_text(manager_client.get(scored.get_absolute_url()))


def test_the_years_setting_below_level_one_is_a_new_sheet_version(scored, manager_client):
    QuarterResult.objects.filter(indicator=scored).update(value=D(50))  # .update: no signal, no bump
    scored.refresh_from_db()
    fiscal_year = scored.fiscal_year
    fiscal_year.scoring_scheme = FiscalYear.Scheme.FIVE_LEVEL
    fiscal_year.save()
    text = page_text(manager_client.get(scored.get_absolute_url()))
    assert "ระดับคะแนน (1-5) 0.0000 (ชั่วคราว ณ ไตรมาสที่ 1 · ใช้คิดคะแนนของปีนี้)" in text
    fiscal_year.below_level_one_score = 1
    fiscal_year.save()
    assert "ระดับคะแนน (1-5) 1.0000" in page_text(manager_client.get(scored.get_absolute_url()))


def test_printed_sheet_shows_the_criteria(scored, manager_client):
    from .pdf_inspect import pdf_text, thai_normal

    pdf = manager_client.get(f"/indicators/{scored.fiscal_year.year}/{scored.code}/sheet.pdf").content
    assert thai_normal("ระดับ 1: 60 · ระดับ 2: 70") in pdf_text(pdf)
    assert thai_normal("3.5000") in pdf_text(pdf)
