"""The evaluator's services (evaluation/services.py): each action, each
refusal, the version check, the lock and the history they leave."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation import services
from indicators import workflow
from indicators.models import Quarter, QuarterResult
from tests.factories import IndicatorFactory, QuarterResultFactory

Status = QuarterResult.Status


def submitted(quarter=2, value="40", target=None, **indicator_fields):
    """A quarter the agency has submitted (set up directly: the reporter's
    form belongs to the data-entry feature)."""
    indicator = IndicatorFactory(**{"annual_target": Decimal("80"), **indicator_fields})
    return QuarterResultFactory(
        indicator=indicator, quarter=quarter, value=Decimal(value), target=target,
        status=Status.SUBMITTED, submitted_at=timezone.now(), version=3,
    )


def fresh(result):
    return QuarterResult.objects.select_related("indicator").get(pk=result.pk)


def last_history(result):
    return result.history.order_by("-history_date", "-history_id").first()


# --- accept ------------------------------------------------------------------

def test_accept_confirms_2_1_as_2_2_and_locks(db, evaluator):
    result = submitted(quarter=2, value="40")  # 40 of 80 -> 50
    services.accept(result=result, user=evaluator, expected_version=3)
    saved = fresh(result)
    assert saved.status == Status.ACCEPTED
    assert saved.score_self == Decimal("50.00")
    assert saved.score_confirmed == Decimal("50.00")
    assert saved.is_locked
    assert saved.version == 4
    assert saved.reviewed_by == evaluator and saved.reviewed_at is not None


def test_accept_uses_the_quarters_own_milestone(db, evaluator):
    result = submitted(quarter=1, value="15", target=Decimal("20"))  # 15 of 20 -> 75
    services.accept(result=result, user=evaluator, expected_version=3)
    assert fresh(result).score_confirmed == Decimal("75.00")


def test_accept_rounds_the_score_to_two_places(db, evaluator):
    result = submitted(quarter=1, value="1", annual_target=Decimal("3"))  # 33.333...
    services.accept(result=result, user=evaluator, expected_version=3)
    assert fresh(result).score_self == Decimal("33.33")


def test_accept_is_refused_for_quarter_four(db, evaluator):
    result = submitted(quarter=4)
    with pytest.raises(ValidationError) as error:
        services.accept(result=result, user=evaluator, expected_version=3)
    assert "ไตรมาสที่ 4" in error.value.messages[0]
    assert fresh(result).status == Status.SUBMITTED


def test_accept_is_refused_without_a_value(db, evaluator):
    result = submitted(quarter=1)
    QuarterResult.objects.filter(pk=result.pk).update(value=None)
    with pytest.raises(ValidationError) as error:
        services.accept(result=fresh(result), user=evaluator, expected_version=3)
    assert "ยังไม่มีผลงาน" in error.value.messages[0]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.ACCEPTED, Status.NOT_STARTED])
def test_only_a_submitted_quarter_can_be_accepted(db, evaluator, status):
    result = submitted(quarter=1)
    QuarterResult.objects.filter(pk=result.pk).update(status=status)
    with pytest.raises(ValidationError) as error:
        services.accept(result=fresh(result), user=evaluator, expected_version=3)
    assert "ไม่ได้อยู่ในสถานะรอตรวจ" in error.value.messages[0]
    assert fresh(result).status == status


@pytest.mark.parametrize("role", [None, "reporter", "manager", "administrator"])
def test_only_evaluators_may_act(db, make_user, role):
    result = submitted(quarter=1)
    user = make_user(role, agencies=[result.indicator.owner])
    calls = [
        lambda: services.accept(result=result, user=user, expected_version=3),
        lambda: services.return_for_correction(result=result, user=user, expected_version=3, comment="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    q4 = submitted(quarter=4)
    with pytest.raises(PermissionDenied):
        services.score_final_quarter(result=q4, user=user, expected_version=3, score=90, reason="x")
    QuarterResult.objects.filter(pk=result.pk).update(status=Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.reopen(result=fresh(result), user=user, expected_version=3, reason="x")
    assert fresh(result).status == Status.ACCEPTED and fresh(result).version == 3
    assert fresh(q4).status == Status.SUBMITTED and fresh(q4).score_confirmed is None


# --- the version check ---------------------------------------------------------

def test_a_write_based_on_an_older_version_is_refused(db, evaluator):
    result = submitted(quarter=1)
    with pytest.raises(workflow.StaleVersion) as error:
        services.accept(result=result, user=evaluator, expected_version=2)
    assert "ถูกเปลี่ยนแปลง" in str(error.value)
    assert fresh(result).status == Status.SUBMITTED


def test_a_change_made_after_loading_is_not_overwritten(db, evaluator):
    result = submitted(quarter=1)  # loaded at version 3
    # Meanwhile the quarter changes (another evaluator, or the agency).
    QuarterResult.objects.filter(pk=result.pk).update(value=Decimal("79"), version=4)
    with pytest.raises(workflow.StaleVersion):
        services.accept(result=result, user=evaluator, expected_version=3)
    saved = fresh(result)
    assert saved.value == Decimal("79") and saved.status == Status.SUBMITTED and saved.version == 4


def test_a_replayed_action_is_refused(db, evaluator):
    result = submitted(quarter=1)
    services.accept(result=result, user=evaluator, expected_version=3)
    rows_after_accept = result.history.count()
    with pytest.raises(ValidationError):
        services.accept(result=fresh(result), user=evaluator, expected_version=3)
    assert fresh(result).version == 4
    assert result.history.count() == rows_after_accept


# --- score quarter 4 -------------------------------------------------------------

def test_scoring_quarter_four_with_the_suggested_score_needs_no_reason(db, evaluator):
    result = submitted(quarter=4, value="80")  # 100
    services.score_final_quarter(result=result, user=evaluator, expected_version=3, score=Decimal("100"))
    saved = fresh(result)
    assert (saved.status, saved.score_self, saved.score_confirmed) == (Status.ACCEPTED, Decimal("100"), Decimal("100"))
    assert saved.is_locked


def test_scoring_quarter_four_differently_needs_a_reason(db, evaluator):
    result = submitted(quarter=4, value="80")
    with pytest.raises(ValidationError) as error:
        services.score_final_quarter(result=result, user=evaluator, expected_version=3, score="90", reason="  ")
    assert error.value.message_dict["reason"] == ["คะแนน 2.2 (90.00) ต่างจากคะแนน 2.1 (100.00) กรุณาระบุเหตุผล"]
    assert fresh(result).status == Status.SUBMITTED

    services.score_final_quarter(
        result=result, user=evaluator, expected_version=3, score="90", reason="หลักฐานไม่ครบ 1 กลุ่มเขต"
    )
    saved = fresh(result)
    assert saved.score_self == Decimal("100") and saved.score_confirmed == Decimal("90")
    assert saved.score_reason == "หลักฐานไม่ครบ 1 กลุ่มเขต"


@pytest.mark.parametrize("score", ["-0.01", "100.01", "250", "abc", "", None, "NaN", "Infinity", "12.345"])
def test_a_score_outside_0_to_100_is_refused_in_thai(db, evaluator, score):
    result = submitted(quarter=4, value="80")
    with pytest.raises(ValidationError) as error:
        services.score_final_quarter(result=result, user=evaluator, expected_version=3, score=score, reason="r")
    message = error.value.message_dict["score"][0]
    assert "คะแนน 2.2" in message
    assert fresh(result).status == Status.SUBMITTED and fresh(result).score_confirmed is None


@pytest.mark.parametrize("score", ["0", "100", "0.5"])
def test_the_ends_of_the_scale_are_accepted(db, evaluator, score):
    result = submitted(quarter=4, value="80")
    services.score_final_quarter(result=result, user=evaluator, expected_version=3, score=score, reason="เหตุผล")
    assert fresh(result).score_confirmed == Decimal(score)


def test_a_score_of_zero_is_a_score_not_pending(db, evaluator):
    result = submitted(quarter=4, value="80")
    services.score_final_quarter(result=result, user=evaluator, expected_version=3, score="0", reason="ไม่มีหลักฐาน")
    assert fresh(result).score_confirmed == Decimal("0")


def test_quarters_one_to_three_cannot_be_scored_by_hand(db, evaluator):
    result = submitted(quarter=3)
    with pytest.raises(ValidationError):
        services.score_final_quarter(result=result, user=evaluator, expected_version=3, score=100)
    assert fresh(result).status == Status.SUBMITTED


# --- return for correction ------------------------------------------------------

def test_return_needs_a_comment(db, evaluator):
    result = submitted(quarter=1)
    with pytest.raises(ValidationError) as error:
        services.return_for_correction(result=result, user=evaluator, expected_version=3, comment=" \n ")
    assert error.value.message_dict["comment"] == ["กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข"]
    assert fresh(result).status == Status.SUBMITTED


def test_return_opens_the_quarter_for_the_agency_even_after_its_window(db, evaluator, make_user):
    result = submitted(quarter=1)
    year = result.indicator.fiscal_year
    window = Quarter.objects.create(fiscal_year=year, number=1, opens_on=datetime.date(2020, 1, 1),
                                    closes_on=datetime.date(2020, 1, 31))
    reporter = make_user("reporter", agencies=[result.indicator.owner])
    today = timezone.localdate()
    assert workflow.edit_refusal(reporter, result.indicator, window, result, today) is not None

    services.return_for_correction(result=result, user=evaluator, expected_version=3, comment="แนบภาพถ่ายเพิ่ม")
    saved = fresh(result)
    assert saved.status == Status.RETURNED
    assert saved.reviewer_comment == "แนบภาพถ่ายเพิ่ม"
    assert saved.reopened_until == today + datetime.timedelta(days=services.CORRECTION_DAYS)
    assert workflow.edit_refusal(reporter, saved.indicator, window, saved, today) is None


def test_return_refuses_a_correction_date_in_the_past(db, evaluator):
    result = submitted(quarter=1)
    with pytest.raises(ValidationError) as error:
        services.return_for_correction(
            result=result, user=evaluator, expected_version=3, comment="แก้",
            correct_by=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "correct_by" in error.value.message_dict


def test_return_refuses_an_over_long_comment(db, evaluator):
    result = submitted(quarter=1)
    with pytest.raises(ValidationError) as error:
        services.return_for_correction(
            result=result, user=evaluator, expected_version=3, comment="ก" * (services.COMMENT_MAX_LENGTH + 1)
        )
    assert "ยาวเกิน" in error.value.message_dict["comment"][0]


# --- the lock and reopening -------------------------------------------------------

def test_an_accepted_quarter_is_locked_for_its_reporters(db, evaluator, make_user):
    result = submitted(quarter=1)
    reporter = make_user("reporter", agencies=[result.indicator.owner])
    services.accept(result=result, user=evaluator, expected_version=3)
    saved = fresh(result)
    # Even with an administrator's special reopening date still running.
    QuarterResult.objects.filter(pk=result.pk).update(reopened_until=timezone.localdate())
    saved.reopened_until = timezone.localdate()
    refusal = workflow.edit_refusal(reporter, saved.indicator, None, saved, timezone.localdate())
    assert "ล็อก" in refusal


def test_reopen_needs_a_reason_and_an_accepted_quarter(db, evaluator):
    result = submitted(quarter=1)
    with pytest.raises(ValidationError) as error:
        services.reopen(result=result, user=evaluator, expected_version=3, reason="เหตุผล")
    assert "ตรวจรับแล้ว" in error.value.messages[0]
    services.accept(result=result, user=evaluator, expected_version=3)
    with pytest.raises(ValidationError) as error:
        services.reopen(result=fresh(result), user=evaluator, expected_version=4, reason="")
    assert error.value.message_dict["reason"] == ["กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง"]
    assert fresh(result).status == Status.ACCEPTED


def test_reopen_unlocks_and_clears_the_scores(db, evaluator, make_user):
    result = submitted(quarter=1)
    reporter = make_user("reporter", agencies=[result.indicator.owner])
    services.accept(result=result, user=evaluator, expected_version=3)
    services.reopen(result=fresh(result), user=evaluator, expected_version=4, reason="พบตัวเลขคลาดเคลื่อน")
    saved = fresh(result)
    assert saved.status == Status.RETURNED and not saved.is_locked
    assert saved.score_self is None and saved.score_confirmed is None
    assert saved.reviewer_comment == "พบตัวเลขคลาดเคลื่อน"
    assert workflow.edit_refusal(reporter, saved.indicator, None, saved, timezone.localdate()) is None


# --- history --------------------------------------------------------------------

def test_every_action_is_kept_in_the_history_with_who_when_and_why(db, make_user):
    evaluator = make_user("evaluator")
    result = submitted(quarter=4, value="80")
    services.return_for_correction(result=result, user=evaluator, expected_version=3, comment="ขอภาพถ่ายกิจกรรม")
    # The agency corrects and submits again.
    saved = fresh(result)
    saved.status, saved.value, saved.version = Status.SUBMITTED, Decimal("70"), 5
    saved.save()
    services.score_final_quarter(result=fresh(result), user=evaluator, expected_version=5,
                                   score="80", reason="ผลงานไม่ครบตามเป้า")
    services.reopen(result=fresh(result), user=evaluator, expected_version=6, reason="ทบทวนคะแนน")

    records = list(result.history.order_by("history_date", "history_id"))
    evaluator_records = [r for r in records if r.history_user_id == evaluator.pk]
    assert [r.status for r in evaluator_records] == [Status.RETURNED, Status.ACCEPTED, Status.RETURNED]
    reasons = [r.history_change_reason for r in evaluator_records]
    assert "ขอภาพถ่ายกิจกรรม" in reasons[0]
    assert "2.2 = 80" in reasons[1] and "ผลงานไม่ครบตามเป้า" in reasons[1]
    assert "ทบทวนคะแนน" in reasons[2]
    assert all(r.history_date is not None for r in evaluator_records)
    # 70 of 80 = 87.5: the history keeps the scores that reopening cleared.
    assert evaluator_records[1].score_self == Decimal("87.50")
    assert evaluator_records[1].score_confirmed == Decimal("80")


def test_a_long_reason_is_kept_whole_and_its_history_row_summarised(db, evaluator):
    """The history row's reason column holds 100 characters (PostgreSQL refuses
    more, which failed the whole save): a 2.2 with a long reason is saved,
    the reason whole in score_reason, the history row's summary cut at a
    whole Thai cluster."""
    result = submitted(quarter=4, value="80")  # 100
    long_reason = "ผลงานเกินเป้าหมายเพราะมีการจัดกิจกรรมเพิ่มเติมในพื้นที่ " * 20
    services.score_final_quarter(result=result, user=evaluator, expected_version=3,
                                   score=Decimal("90"), reason=long_reason)
    scored = fresh(result)
    assert scored.score_reason == long_reason.strip()
    summary = scored.history.latest().history_change_reason
    assert len(summary) <= 100 and summary.endswith("…") and summary.startswith("ประเมินไตรมาสที่ 4")


def test_a_summary_never_ends_between_a_letter_and_its_marks():
    # "ที่" is ท + ี + ่: cutting after ท would leave the marks to the next row.
    text = "ก" * 97 + "ที่" + "ข" * 10
    fitted = workflow.fit_change_reason(text)
    assert fitted == "ก" * 97 + "…"
    assert workflow.fit_change_reason("สั้น") == "สั้น"
