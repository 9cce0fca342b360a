"""The notices that follow a project update's submission and review: the
evaluators hear of a submission, the agency's reporters of a return, an
acceptance, a score or a reopening, by mail and in the app; nobody else."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from indicators.text import thai_date
from notifications.models import Delivery, Kind, Notification, Preference
from projects import review
from projects import signals as project_signals
from projects.models import ProjectUpdate
from tests.factories import AgencyFactory, ProjectFactory, ProjectUpdateFactory

pytestmark = pytest.mark.django_db

SITE = "https://kpi.example.go.th"


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "kpi@example.go.th"


@pytest.fixture
def world(make_user):
    agency, other = AgencyFactory(name="สำนักการวางผังและพัฒนาเมือง"), AgencyFactory()

    def person(role, agencies=(), email=True):
        user = make_user(role, agencies)
        user.email = f"{user.username}@example.go.th" if email else ""
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


def submitted(world, status=ProjectUpdate.Status.SUBMITTED):
    project = ProjectFactory(owner=world["agency"], name="โครงการสำรวจผังเมือง")
    return ProjectUpdateFactory(project=project, quarter=3, status=status, submitted_at=timezone.now(),
                                version=2, progress=Decimal("60"))


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_a_return_tells_the_agencys_reporters_with_the_comment_and_deadline(
        world, django_capture_on_commit_callbacks):
    update = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        review.return_for_correction(update=update, user=world["evaluator"], expected_version=2,
                                     comment="กรุณาแนบใบเสร็จ")
    code = update.project.code
    assert [m.to for m in mail.outbox] == [[world["reporter"].email]]
    message = mail.outbox[0]
    assert message.subject == f"รายงานไตรมาสที่ 3 ของโครงการ {code} ถูกส่งกลับให้แก้ไข"
    assert "ความเห็นผู้ตรวจประเมิน: กรุณาแนบใบเสร็จ" in message.body
    assert f"แก้ไขและส่งใหม่ได้ถึง {thai_date(update.reopened_until)}" in message.body
    assert told(Kind.RETURNED) == sorted([world["reporter"].pk, world["no_mail"].pk])
    notice = Notification.objects.filter(kind=Kind.RETURNED).first()
    assert notice.quarter == 3 and notice.indicator is None
    assert notice.url.startswith(f"/projects/{update.project.fiscal_year.year}/{code}/")


def test_acceptance_and_the_score_tell_the_agency(world, django_capture_on_commit_callbacks):
    update = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        review.accept(update=update, user=world["evaluator"], expected_version=2)
        review.score(update=update, user=world["evaluator"], expected_version=3, score="100", reason="ครบตามแผน")
    assert told(Kind.ACCEPTED) == sorted([world["reporter"].pk, world["no_mail"].pk])
    assert told(Kind.PROJECT_SCORED) == sorted([world["reporter"].pk, world["no_mail"].pk])
    scored = [m for m in mail.outbox if "ได้รับการประเมิน" in m.subject]
    assert len(scored) == 1 and "สยป. ประเมินโครงการ : ไตรมาสที่ 3 100.00" in scored[0].body
    assert "เหตุผลของคะแนน: ครบตามแผน" in scored[0].body
    assert f"{SITE}/projects/{update.project.fiscal_year.year}/{update.project.code}/" in scored[0].body


def test_a_reopening_tells_the_agency_and_cannot_be_turned_off(world, django_capture_on_commit_callbacks):
    Preference.objects.create(user=world["reporter"], kind=Kind.REOPENED, delivery=Delivery.OFF)
    update = submitted(world, status=ProjectUpdate.Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        review.reopen(update=update, user=world["evaluator"], expected_version=2, reason="ตัวเลขไม่ตรง")
    assert told(Kind.REOPENED) == sorted([world["reporter"].pk, world["no_mail"].pk])
    assert "เหตุผล: ตัวเลขไม่ตรง" in mail.outbox[0].body


def test_a_project_score_can_be_turned_off_by_its_own_kind(world, django_capture_on_commit_callbacks):
    Preference.objects.create(user=world["reporter"], kind=Kind.PROJECT_SCORED, delivery=Delivery.OFF)
    update = submitted(world, status=ProjectUpdate.Status.ACCEPTED)
    review.score(update=update, user=world["evaluator"], expected_version=2, score="70", reason="เหตุผล")
    assert told(Kind.PROJECT_SCORED) == [world["no_mail"].pk]


def test_a_refused_action_tells_nobody(world):
    update = submitted(world)
    with pytest.raises(Exception):  # noqa: B017  (any refusal: here the empty comment)
        review.return_for_correction(update=update, user=world["evaluator"], expected_version=2, comment="")
    assert not Notification.objects.exists() and not mail.outbox


def test_a_submission_tells_every_evaluator_but_not_the_sender(world, django_capture_on_commit_callbacks):
    update = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        project_signals.update_submitted.send(sender=ProjectUpdate, update=update, user=world["reporter"])
    assert told(Kind.SUBMITTED) == sorted([world["evaluator"].pk, world["evaluator2"].pk])
    notice = Notification.objects.get(kind=Kind.SUBMITTED, recipient=world["evaluator"])
    year, code = update.project.fiscal_year.year, update.project.code
    assert notice.title == f"สำนักการวางผังและพัฒนาเมือง ส่งรายงานไตรมาสที่ 3 ของโครงการ {code} รอตรวจ"
    assert notice.url == f"/review/projects/{year}/{code}/3/"
    # Submissions reach evaluators as a daily digest unless they chose otherwise.
    assert notice.in_digest and not mail.outbox
