"""Each review event, submission and finished job tells the right people,
by mail (locmem) and in the app, and nobody else: a reporter of another
agency gets nothing; preferences and mandatory kinds are obeyed."""

from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.utils import timezone, translation

from evaluation import services
from indicators.models import QuarterResult
from indicators.workflow import StaleVersion
from jobs import worker
from jobs.models import Job
from notifications.models import DefaultPreference, Kind, Notification, Preference
from reports.services import ReportChanges, save_quarter_report

from .entry_support import set_window
from .factories import AgencyFactory, IndicatorFactory, QuarterResultFactory

pytestmark = pytest.mark.django_db

SITE = "https://kpi.example.go.th"


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "kpi@example.go.th"
    settings.NOTIFICATION_SENDER_NAME = "กรุงเทพมหานคร"


@pytest.fixture
def world(make_user):
    """An agency with two reporters (one without e-mail), another agency's
    reporter, a manager and an evaluator with e-mail."""
    agency, other = AgencyFactory(), AgencyFactory()

    def person(role, agencies=(), email=True):
        user = make_user(role, agencies)
        user.email = f"{user.username}@example.go.th" if email else ""
        user.first_name = "สมศรี"
        user.save()
        return user

    return {
        "agency": agency,
        "reporter": person("reporter", [agency]),
        "no_mail": person("reporter", [agency], email=False),
        "outsider": person("reporter", [other]),
        "manager": person("manager", [agency]),
        "evaluator": person("evaluator"),
        "evaluator2": person("evaluator"),
    }


def submitted(world, quarter=2, value="60"):
    indicator = IndicatorFactory(owner=world["agency"], annual_target=Decimal("80"), name="ร้อยละของถนนที่ซ่อมแล้ว")
    return QuarterResultFactory(indicator=indicator, quarter=quarter, value=Decimal(value),
                                status=QuarterResult.Status.SUBMITTED, submitted_at=timezone.now(), version=2)


def recipients_of(messages):
    return sorted(address for m in messages for address in m.to)


def test_a_returned_quarter_mails_the_agencys_reporters_with_comment_deadline_and_link(
        world, django_capture_on_commit_callbacks):
    result = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(result=result, user=world["evaluator"], expected_version=2,
                                         comment="กรุณาแนบภาพถ่ายกิจกรรม")
    result.refresh_from_db()
    code, year = result.indicator.code, result.indicator.fiscal_year.year

    assert recipients_of(mail.outbox) == [world["reporter"].email]
    message = mail.outbox[0]
    assert message.subject == f"ไตรมาสที่ 2 ของตัวชี้วัด {code} ถูกส่งกลับให้แก้ไข"
    assert str(make_header(decode_header(message.message()["From"]))) == "กรุงเทพมหานคร <kpi@example.go.th>"
    assert "ความเห็นผู้ตรวจประเมิน: กรุณาแนบภาพถ่ายกิจกรรม" in message.body
    from indicators.text import thai_date
    assert f"แก้ไขและส่งใหม่ได้ถึง {thai_date(result.reopened_until)}" in message.body
    link = f"{SITE}/indicators/{year}/{code}/quarters/2/report/"
    assert link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{link}"' in html and "เรียน สมศรี" in html
    assert not message.attachments

    # In the app: both reporters of the agency (the one without e-mail too), nobody else.
    told = Notification.objects.filter(kind=Kind.RETURNED)
    assert sorted(n.recipient_id for n in told) == sorted([world["reporter"].pk, world["no_mail"].pk])
    assert told[0].url == f"/indicators/{year}/{code}/quarters/2/report/"


def test_accepting_tells_the_agency_with_the_score(world, django_capture_on_commit_callbacks):
    result = submitted(world, value="60")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(result=result, user=world["evaluator"], expected_version=2)
    assert recipients_of(mail.outbox) == [world["reporter"].email]
    assert "ผ่านการตรวจรับแล้ว" in mail.outbox[0].subject
    assert "คะแนน 2.1 / 2.2 = 75.00" in mail.outbox[0].body
    assert f"{SITE}{result.indicator.get_absolute_url()}" in mail.outbox[0].body


def test_scoring_quarter_4_tells_both_scores_and_the_reason(world, django_capture_on_commit_callbacks):
    result = submitted(world, quarter=4, value="60")  # 2.1 = 75
    with django_capture_on_commit_callbacks(execute=True):
        services.score_final_quarter(result=result, user=world["evaluator"], expected_version=2, score="70",
                                       reason="หลักฐานไม่ครบ")
    body = mail.outbox[0].body
    assert "ได้รับการประเมินไตรมาสที่ 4 แล้ว" in mail.outbox[0].subject
    assert "คะแนน 2.1 = 75.00, คะแนน 2.2 = 70.00" in body and "เหตุผลของคะแนน 2.2: หลักฐานไม่ครบ" in body
    assert recipients_of(mail.outbox) == [world["reporter"].email]


def test_reopening_tells_the_agency(world, django_capture_on_commit_callbacks):
    result = submitted(world)
    services.accept(result=result, user=world["evaluator"], expected_version=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.reopen(result=result, user=world["evaluator"], expected_version=3, reason="ตัวเลขผิด")
    reopened = [m for m in mail.outbox if "เปิดให้แก้ไขอีกครั้ง" in m.subject]
    assert recipients_of(reopened) == [world["reporter"].email]
    assert "เหตุผล: ตัวเลขผิด" in reopened[0].body


def test_a_refused_action_tells_nobody(world, django_capture_on_commit_callbacks):
    result = submitted(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StaleVersion):
        services.accept(result=result, user=world["evaluator"], expected_version=1)  # stale
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_submission_reaches_evaluators_in_the_app_and_by_the_daily_digest(
        world, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    indicators = [IndicatorFactory(owner=world["agency"]) for _ in range(2)]
    for indicator in indicators:
        set_window(indicator, 1)
        with django_capture_on_commit_callbacks(execute=True):
            save_quarter_report(user=world["reporter"], indicator=indicator, quarter_number=1, expected_version=0,
                                changes=ReportChanges(value=Decimal("5"), submit=True))
    assert mail.outbox == []  # a digest by default, not a mail per submission
    waiting = Notification.objects.filter(kind=Kind.SUBMITTED)
    assert sorted({n.recipient_id for n in waiting}) == sorted([world["evaluator"].pk, world["evaluator2"].pk])
    assert waiting.count() == 4

    from django.core.management import call_command
    call_command("send_digests", stdout=open("/dev/null", "w"))
    assert recipients_of(mail.outbox) == sorted([world["evaluator"].email, world["evaluator2"].email])
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "สรุปการแจ้งเตือนประจำวัน 2 รายการ"
    assert all(i.code in body for i in indicators)
    assert f"{SITE}/review/{indicators[0].fiscal_year.year}/{indicators[0].code}/1/" in body
    assert "ขณะนี้มีผลรายไตรมาสรอตรวจทั้งหมด 2 รายการ" in body
    call_command("send_digests", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2  # sent once


def test_an_evaluator_may_choose_a_mail_per_submission(world, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    Preference.objects.create(user=world["evaluator"], kind=Kind.SUBMITTED, delivery="immediate")
    indicator = IndicatorFactory(owner=world["agency"])
    set_window(indicator, 1)
    with django_capture_on_commit_callbacks(execute=True):
        save_quarter_report(user=world["reporter"], indicator=indicator, quarter_number=1, expected_version=0,
                            changes=ReportChanges(value=Decimal("5"), submit=True))
    assert recipients_of(mail.outbox) == [world["evaluator"].email]
    assert world["agency"].name in mail.outbox[0].subject


def test_off_means_nothing_except_for_mandatory_kinds(world, django_capture_on_commit_callbacks):
    reporter = world["reporter"]
    Preference.objects.create(user=reporter, kind=Kind.ACCEPTED, delivery="off")
    Preference.objects.create(user=reporter, kind=Kind.RETURNED, delivery="off")  # not allowed: ignored
    accepted, returned = submitted(world), submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(result=accepted, user=world["evaluator"], expected_version=2)
        services.return_for_correction(result=returned, user=world["evaluator"], expected_version=2, comment="แก้")
    mine = Notification.objects.filter(recipient=reporter)
    assert [n.kind for n in mine] == [Kind.RETURNED]
    assert [m.subject for m in mail.outbox if reporter.email in m.to] == [mine[0].title]


def test_the_administrators_default_applies_to_users_who_chose_nothing(world, django_capture_on_commit_callbacks):
    DefaultPreference.objects.create(kind=Kind.ACCEPTED, delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(result=submitted(world), user=world["evaluator"], expected_version=2)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=world["reporter"]).in_digest


def test_a_finished_or_failed_job_tells_its_owner_only(world, django_capture_on_commit_callbacks):
    owner = world["manager"]
    job = Job.objects.create(owner=owner, kind="book", params={}, title="รวมเล่ม 2570",
                                  download_name="book.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        worker.succeed(job, b"%PDF-1.4")
        worker.fail(job.pk, "เครื่องพิมพ์ขัดข้อง")
    notices = list(Notification.objects.filter(kind=Kind.JOB_FINISHED).order_by("id"))
    assert [n.recipient_id for n in notices] == [owner.pk, owner.pk]
    assert notices[0].title == "งาน “รวมเล่ม 2570” เสร็จแล้ว ดาวน์โหลดได้"
    assert notices[1].text == "เครื่องพิมพ์ขัดข้อง" and notices[1].url == f"/jobs/{job.pk}/"
    assert recipients_of(mail.outbox) == [owner.email, owner.email]


def test_the_one_entry_point_for_other_jobs(world, django_capture_on_commit_callbacks):
    from notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(world["manager"], Kind.IMPORT_FINISHED, title="นำเข้าข้อมูลเสร็จ 120 แถว", url="/")
    assert notice.pk and mail.outbox[0].subject == "นำเข้าข้อมูลเสร็จ 120 แถว"
    assert mail.outbox[0].body.count(SITE + "/") >= 1


def test_an_import_check_and_apply_tell_their_owner_with_a_link_to_the_import(world, django_capture_on_commit_callbacks):
    owner = world["manager"]
    check = Job.objects.create(owner=owner, kind="import_check", params={}, title="plan-2571.xlsx")
    apply = Job.objects.create(owner=owner, kind="import_apply", params={}, title="plan-2571.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        worker.finish(check, {"ok": True})
        worker.finish(apply, {"ok": True})
    notices = list(Notification.objects.filter(kind=Kind.IMPORT_FINISHED).order_by("id"))
    assert [(n.recipient_id, n.url) for n in notices] == [
        (owner.pk, f"/indicators/import/{check.pk}/"), (owner.pk, f"/indicators/import/{apply.pk}/")]
    assert "ดูผลการตรวจ" in notices[0].title and notices[1].title == "นำเข้า “plan-2571.xlsx” เสร็จแล้ว"
    assert "ดาวน์โหลด" not in notices[0].title + notices[1].title


def test_the_comment_is_escaped_in_the_html_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(result=submitted(world), user=world["evaluator"], expected_version=2,
                                         comment='<a href="https://evil.example">คลิก</a>')
    html = mail.outbox[0].alternatives[0][0]
    assert '<a href="https://evil.example">' not in html
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;" in html


def test_a_mail_server_that_fails_does_not_undo_the_review(world, django_capture_on_commit_callbacks):
    from unittest import mock

    result = submitted(world)
    with mock.patch("notifications.mail.send", side_effect=OSError("smtp down")), \
            django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(result=result, user=world["evaluator"], expected_version=2, comment="แก้")
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.RETURNED
    assert Notification.objects.filter(recipient=world["reporter"], kind=Kind.RETURNED).exists()


def test_an_evaluator_on_an_english_page_still_tells_the_agency_in_thai(world, django_capture_on_commit_callbacks):
    result = submitted(world)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(result=result, user=world["evaluator"], expected_version=2, comment="แก้")
    code, year = result.indicator.code, result.indicator.fiscal_year.year
    assert mail.outbox[0].subject == f"ไตรมาสที่ 2 ของตัวชี้วัด {code} ถูกส่งกลับให้แก้ไข"
    notice = Notification.objects.filter(kind=Kind.RETURNED).first()
    assert notice.url == f"/indicators/{year}/{code}/quarters/2/report/"  # not under /en/
