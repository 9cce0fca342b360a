"""send_reminders: N days before a window closes, one mail per user listing
every indicator of theirs still due; the overdue notice the day after (with
the manager's copy when the year says so); twice sends once; --dry-run
sends nothing and lists what it would send."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from indicators.models import FiscalYear, Quarter, QuarterResult
from notifications.models import Kind, Notification, Preference, ReminderSettings, SentReminder

from .factories import AgencyFactory, IndicatorFactory, QuarterResultFactory

pytestmark = pytest.mark.django_db

CLOSES = datetime.date(2027, 1, 31)
SEVEN_BEFORE = "2027-01-24"
DAY_AFTER = "2027-02-01"


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kpi.example.go.th"


@pytest.fixture
def city(make_user):
    year = FiscalYear.objects.create(year=2570)
    quarter = Quarter.objects.create(fiscal_year=year, number=1, opens_on=datetime.date(2026, 11, 1), closes_on=CLOSES)
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    for n in range(2):  # due
        IndicatorFactory(fiscal_year=year, owner=a, code=f"A-{n}")
    done_a = IndicatorFactory(fiscal_year=year, owner=a, code="A-done")
    QuarterResultFactory(indicator=done_a, quarter=1, status=QuarterResult.Status.SUBMITTED)
    draft_b = IndicatorFactory(fiscal_year=year, owner=b, code="B-draft")
    QuarterResultFactory(indicator=draft_b, quarter=1, status=QuarterResult.Status.DRAFT)
    accepted_c = IndicatorFactory(fiscal_year=year, owner=c, code="C-ok")
    QuarterResultFactory(indicator=accepted_c, quarter=1, status=QuarterResult.Status.ACCEPTED)

    def person(role, agencies, email=True):
        user = make_user(role, agencies)
        user.email = f"{user.username}@example.go.th" if email else ""
        user.save()
        return user

    return {
        "year": year, "quarter": quarter, "a": a, "b": b,
        "r_a": person("reporter", [a]), "r_ab": person("reporter", [a, b]), "r_b_nomail": person("reporter", [b], False),
        "r_c": person("reporter", [c]), "manager_a": person("manager", [a]), "evaluator": person("evaluator", []),
    }


def run(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def test_seven_days_before_each_reporter_gets_one_mail_listing_all_their_due_indicators(city):
    run("--today", SEVEN_BEFORE)
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([city["r_a"].email, city["r_ab"].email])
    (to_a,) = mails_to(city["r_a"])
    assert to_a.subject == "เตือน: ปิดรับรายงานไตรมาสที่ 1 ปีงบประมาณ 2570 ในอีก 7 วัน (31 ม.ค. 2570)"
    assert "A-0" in to_a.body and "A-1" in to_a.body
    assert "A-done" not in to_a.body and "B-draft" not in to_a.body
    assert "https://kpi.example.go.th/my-indicators/" in to_a.body
    (to_ab,) = mails_to(city["r_ab"])  # two agencies, one mail
    assert all(code in to_ab.body for code in ("A-0", "A-1", "B-draft"))
    assert "ตัวชี้วัดที่ยังไม่ได้ส่งผล 3 รายการ" in to_ab.body
    # No e-mail address: in the app only. Nothing due in agency C: nothing at all.
    assert Notification.objects.filter(recipient=city["r_b_nomail"], kind=Kind.REMINDER).count() == 1
    assert not Notification.objects.filter(recipient__in=[city["r_c"], city["manager_a"], city["evaluator"]]).exists()


def test_running_twice_sends_once(city):
    run("--today", SEVEN_BEFORE)
    output = run("--today", SEVEN_BEFORE)
    assert len(mail.outbox) == 2
    assert "sent 0, already sent before 3" in output
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 3


def test_dry_run_sends_nothing_and_lists_what_it_would(city):
    output = run("--today", SEVEN_BEFORE, "--dry-run")
    assert mail.outbox == [] and not Notification.objects.exists() and not SentReminder.objects.exists()
    assert f"would send reminder to {city['r_ab'].username}" in output and "A-0, A-1, B-draft" in output
    assert "would send 3" in output


def test_other_days_send_nothing_and_the_days_come_from_the_year(city):
    run("--today", "2027-01-25")
    assert mail.outbox == []
    ReminderSettings.objects.create(fiscal_year=city["year"], days_before="6, 2")
    run("--today", "2027-01-25")
    assert len(mail.outbox) == 2 and "ในอีก 6 วัน" in mail.outbox[0].subject
    run("--today", SEVEN_BEFORE)
    assert len(mail.outbox) == 2


def test_the_day_after_close_an_overdue_notice_copied_to_the_agencys_manager_if_the_year_says_so(city):
    run("--today", DAY_AFTER)
    assert all("เลยกำหนด" in m.subject for m in mail.outbox) and len(mail.outbox) == 2
    assert mails_to(city["manager_a"]) == []
    SentReminder.objects.all().delete()
    mail.outbox.clear()
    ReminderSettings.objects.create(fiscal_year=city["year"], copy_overdue_to_manager=True)
    run("--today", DAY_AFTER)
    (copy,) = mails_to(city["manager_a"])
    assert copy.subject.startswith("สำเนา: เลยกำหนด")
    assert "A-0" in copy.body and "B-draft" not in copy.body  # only the manager's agency
    assert "/reports/progress/?year=2570&quarter=1" in copy.body


def test_a_returned_quarter_with_a_later_correction_date_is_not_due_at_the_close(city):
    indicator = IndicatorFactory(fiscal_year=city["year"], owner=city["a"], code="A-returned")
    QuarterResultFactory(indicator=indicator, quarter=1, status=QuarterResult.Status.RETURNED,
                         reopened_until=CLOSES + datetime.timedelta(days=10))
    run("--today", SEVEN_BEFORE)
    assert "A-returned" not in mails_to(city["r_a"])[0].body


def test_reminders_turned_off_by_a_user(city):
    Preference.objects.create(user=city["r_a"], kind=Kind.REMINDER, delivery="off")
    run("--today", SEVEN_BEFORE)
    assert mails_to(city["r_a"]) == [] and len(mail.outbox) == 1


def test_a_reporter_no_longer_in_the_group_is_not_reminded(city):
    city["r_a"].groups.clear()
    run("--today", SEVEN_BEFORE)
    assert mails_to(city["r_a"]) == []


def test_bad_date_is_refused_in_thai(city):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "31/01/2570")


def test_reminders_use_a_fixed_number_of_queries_per_batch(city, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import reminders

    def count(today):
        SentReminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            reminders.send_due(today)
        return len(ctx.captured_queries)

    day = datetime.date(2027, 1, 24)
    small = count(day)
    for _agency_number in range(30):
        agency = AgencyFactory()
        IndicatorFactory(fiscal_year=city["year"], owner=agency)
        for _ in range(2):
            user = make_user("reporter", [agency])
            user.email = f"{user.username}@example.go.th"
            user.save()
    assert count(day) == small


def test_a_failing_mail_server_leaves_the_batch_for_the_next_run(city):
    from unittest import mock

    with mock.patch("notifications.mail.send", side_effect=OSError("smtp down")), pytest.raises(OSError):
        run("--today", SEVEN_BEFORE)
    assert not SentReminder.objects.exists() and not Notification.objects.exists()
    run("--today", SEVEN_BEFORE)
    assert len(mail.outbox) == 2


# --- project updates due (projects/due.py) beside the indicators ------------

@pytest.fixture
def projects_due(city):
    """Agency A: a project without an update and a draft (due), a submitted
    and an accepted one (not due); B: a returned one (due); C (no indicator
    due): one without an update (due)."""
    from projects.models import ProjectUpdate

    from .factories import ProjectFactory, ProjectUpdateFactory

    c = city["r_c"].agencies.get()
    made = {}
    for code, agency, status in [("1100-11", city["a"], None), ("1100-12", city["a"], "draft"),
                                 ("1100-13", city["a"], "submitted"), ("1100-14", city["a"], "accepted"),
                                 ("2200-21", city["b"], "returned"), ("3300-31", c, None)]:
        made[code] = ProjectFactory(fiscal_year=city["year"], owner=agency, code=code, name=f"โครงการ {code}")
        if status:
            ProjectUpdateFactory(project=made[code], quarter=1, status=status)
    # Quarter 2's accepted update does not make quarter 1 done.
    ProjectUpdateFactory(project=made["1100-11"], quarter=2, status=ProjectUpdate.Status.ACCEPTED)
    return made


def form_link(code, quarter=1):
    return f"https://kpi.example.go.th/projects/2570/{code}/quarters/{quarter}/update/"


def test_the_reminder_lists_the_projects_due_with_links_to_their_update_form(city, projects_due):
    run("--today", SEVEN_BEFORE)
    (to_a,) = mails_to(city["r_a"])
    assert "โครงการที่ยังไม่ได้รายงานความคืบหน้าไตรมาสที่ 1 2 รายการ" in to_a.body
    assert form_link("1100-11") in to_a.body and form_link("1100-12") in to_a.body
    assert "1100-13" not in to_a.body and "1100-14" not in to_a.body  # submitted, accepted
    # Never another agency's project, not even its code.
    assert "2200-21" not in to_a.body and "3300-31" not in to_a.body
    html = to_a.alternatives[0][0]
    assert f'<a href="{form_link("1100-11")}"' in html and "โครงการ 1100-12" in html
    (to_ab,) = mails_to(city["r_ab"])
    assert all(code in to_ab.body for code in ("1100-11", "1100-12", "2200-21", "A-0", "B-draft"))
    assert "3300-31" not in to_ab.body


def test_an_agency_with_only_projects_due_is_reminded_of_them(city, projects_due):
    run("--today", SEVEN_BEFORE)
    (to_c,) = mails_to(city["r_c"])
    assert form_link("3300-31") in to_c.body
    assert "ตัวชี้วัดที่ยังไม่ได้ส่งผล" not in to_c.body
    assert "1100-11" not in to_c.body and "A-0" not in to_c.body
    assert not Notification.objects.filter(recipient__in=[city["manager_a"], city["evaluator"]]).exists()


def test_the_overdue_notice_counts_projects_and_the_managers_copy_lists_them_without_the_form(
        city, projects_due):
    ReminderSettings.objects.create(fiscal_year=city["year"], copy_overdue_to_manager=True)
    run("--today", DAY_AFTER)
    (to_a,) = mails_to(city["r_a"])
    assert to_a.subject.startswith("เลยกำหนด") and form_link("1100-12") in to_a.body
    (copy,) = mails_to(city["manager_a"])
    assert "1100-11" in copy.body and "1100-12" in copy.body and "2200-21" not in copy.body
    assert "/update/" not in copy.body  # a manager does not report: the progress page instead


def test_a_project_reopened_beyond_the_close_is_not_due_then(city, projects_due):
    from projects.models import ProjectUpdate

    ProjectUpdate.objects.filter(project=projects_due["1100-12"]).update(
        reopened_until=CLOSES + datetime.timedelta(days=10))
    run("--today", SEVEN_BEFORE)
    assert "1100-12" not in mails_to(city["r_a"])[0].body


def test_dry_run_lists_the_projects(city, projects_due):
    output = run("--today", SEVEN_BEFORE, "--dry-run")
    assert "2 projects (1100-11, 1100-12)" in output


def test_reminders_with_projects_use_a_fixed_number_of_queries(city, projects_due, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import reminders

    from .factories import ProjectFactory, ProjectUpdateFactory

    def count(today):
        SentReminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            outcome = reminders.send_due(today)
        return len(ctx.captured_queries), len(outcome.sent)

    day = datetime.date(2027, 1, 24)
    small, sent = count(day)
    for number in range(20):
        agency = AgencyFactory()
        for n in range(3):
            project = ProjectFactory(fiscal_year=city["year"], owner=agency, code=f"{5000 + number}-{n}")
            ProjectUpdateFactory(project=project, quarter=1, status="draft")
        user = make_user("reporter", [agency])
        user.email = f"{user.username}@example.go.th"
        user.save()
    queries, sent_now = count(day)
    assert sent_now == sent + 20 and queries == small


def test_the_html_mail_links_only_this_sites_addresses(settings):
    from django.template import Context, Template

    rendered = Template("{% load mail_links %}{{ text|site_links|linebreaksbr }}").render(Context({
        "text": "- 1100-11 <b>โครงการ</b>\n  https://kpi.example.go.th/projects/2570/1100-11/quarters/1/update/\n"
                "https://evil.example/x https://kpi.example.go.th.evil.example/y"}))
    assert ('<a href="https://kpi.example.go.th/projects/2570/1100-11/quarters/1/update/">'
            in rendered)
    assert "&lt;b&gt;โครงการ&lt;/b&gt;<br>" in rendered
    assert rendered.count("<a ") == 1  # another site, or one named like ours, stays text
