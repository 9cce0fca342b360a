"""Conversations on a quarter (issue 24 item 2): who may see and write them
(a matrix over every URL), @mentions of people who may see the thread and
their notices, edits kept in history, resolve and reopen, the thread a
returned quarter starts (indicator and project), escaping, the `next` guard
and fixed query counts on the pages that show threads."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations import services
from conversations.models import Mention, Message, Thread
from evaluation import services as evaluation_services
from indicators.models import AgencyApprover, QuarterResult
from indicators.workflow import StaleVersion
from notifications.models import Kind, Notification
from projects import review as project_review
from projects.models import ProjectUpdate
from tests.factories import AgencyFactory, IndicatorFactory, ProjectFactory, ProjectUpdateFactory, QuarterResultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    ours, theirs = AgencyFactory(), AgencyFactory()
    indicator = IndicatorFactory(owner=ours)
    project = ProjectFactory(owner=ours, fiscal_year=indicator.fiscal_year)
    people = {
        "reporter": make_user("reporter", [ours]),
        "other_reporter": make_user("reporter", [theirs]),
        "evaluator": make_user("evaluator"),
        "manager": make_user("manager"),
        "administrator": make_user("administrator"),
        "approver": make_user(),
        "other_approver": make_user(),
    }
    AgencyApprover.objects.create(agency=ours, user=people["approver"])
    AgencyApprover.objects.create(agency=theirs, user=people["other_approver"])
    return {"indicator": indicator, "project": project, **people}


def indicator_page(indicator, quarter=2):
    return f"/conversations/indicators/{indicator.fiscal_year.year}/{indicator.code}/{quarter}/"


def project_page(project, quarter=2):
    return f"/conversations/projects/{project.fiscal_year.year}/{project.code}/{quarter}/"


def a_thread(world, on="indicator", text="ขอเอกสารเพิ่มเติม"):
    subject = {on: world[on]}
    return services.start_thread(user=world["reporter"], quarter=2, text=text, **subject).message.thread


def every_url(world):
    """(method, url, data) of every conversation URL, on our agency's threads."""
    thread = a_thread(world)
    project_thread = a_thread(world, on="project")
    message = thread.messages.get()
    return [
        ("get", indicator_page(world["indicator"]), {}),
        ("get", project_page(world["project"]), {}),
        ("get", f"/conversations/messages/{message.pk}/history/", {}),
        ("post", indicator_page(world["indicator"]) + "start/", {"text": "สวัสดี"}),
        ("post", project_page(world["project"]) + "start/", {"text": "สวัสดี"}),
        ("post", f"/conversations/threads/{thread.pk}/post/", {"text": "ตอบ"}),
        ("post", f"/conversations/threads/{project_thread.pk}/post/", {"text": "ตอบ"}),
        ("post", f"/conversations/messages/{message.pk}/edit/", {"text": "แก้"}),
        ("post", f"/conversations/threads/{thread.pk}/resolve/", {}),
        ("post", f"/conversations/threads/{thread.pk}/reopen/", {}),
    ]


# --- who may see and write -------------------------------------------------------

@pytest.mark.parametrize("who", ["other_reporter", "other_approver"])
def test_another_agency_is_refused_every_url(client, world, who):
    urls = every_url(world)
    client.force_login(world[who])
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (method, url)
    assert Message.objects.count() == 2 and not Thread.objects.filter(resolved_at__isnull=False).exists()


def test_anonymous_goes_to_sign_in_on_every_url(client, world):
    for method, url, data in every_url(world):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert Message.objects.count() == 2


def test_a_manager_reads_but_cannot_write(client, world):
    urls = every_url(world)
    client.force_login(world["manager"])
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == (200 if method == "get" else 403), url
    page = client.get(indicator_page(world["indicator"])).content.decode()
    assert "ขอเอกสารเพิ่มเติม" in page and "/post/" not in page and "start/" not in page
    assert Message.objects.count() == 2


@pytest.mark.parametrize("who", ["reporter", "approver", "evaluator", "administrator"])
def test_the_agencys_people_and_evaluators_write(client, world, who):
    thread = a_thread(world)
    client.force_login(world[who])
    assert client.get(indicator_page(world["indicator"])).status_code == 200
    response = client.post(f"/conversations/threads/{thread.pk}/post/", {"text": f"ตอบจาก {who}",
                                                                         "next": indicator_page(world["indicator"])})
    assert response.status_code == 302
    assert thread.messages.filter(author=world[who], text=f"ตอบจาก {who}").exists()
    response = client.post(project_page(world["project"]) + "start/", {"title": "เรื่องงบ", "text": "ถาม"})
    assert response.status_code == 302
    assert Thread.objects.filter(project=world["project"], title="เรื่องงบ", created_by=world[who]).exists()


def test_an_unknown_quarter_is_not_found(client, world):
    client.force_login(world["reporter"])
    assert client.get(indicator_page(world["indicator"], quarter=5)).status_code == 404


# --- mentions --------------------------------------------------------------------

def test_mentions_only_people_who_may_see_and_notifies_them(client, world):
    thread = a_thread(world)
    evaluator, outsider = world["evaluator"], world["other_reporter"]
    client.force_login(world["reporter"])
    response = client.post(f"/conversations/threads/{thread.pk}/post/",
                           {"text": f"@{evaluator.username} และ @{outsider.username} และ @nobody ช่วยดูด้วย"},
                           follow=True)
    message = thread.messages.last()
    assert set(Mention.objects.filter(message=message).values_list("user", flat=True)) == {evaluator.pk}
    notice = Notification.objects.get(kind=Kind.MENTIONED)
    assert notice.recipient == evaluator and notice.indicator == world["indicator"] and notice.quarter == 2
    assert notice.url == f"{indicator_page(world['indicator'])}#thread-{thread.pk}"
    assert not Notification.objects.filter(recipient=outsider).exists()
    page = response.content.decode()
    assert f"@{outsider.username}, @nobody" in page and "ไม่มีสิทธิ์เห็นการสนทนานี้" in page


def test_an_edit_notifies_only_newly_mentioned_people(world):
    posted = services.start_thread(user=world["reporter"], quarter=2, text=f"@{world['evaluator'].username}",
                                   indicator=world["indicator"])
    services.edit_message(message=posted.message, user=world["reporter"],
                          text=f"@{world['evaluator'].username} @{world['approver'].username}")
    assert sorted(Notification.objects.filter(kind=Kind.MENTIONED).values_list("recipient", flat=True)) == sorted(
        [world["evaluator"].pk, world["approver"].pk])
    services.edit_message(message=posted.message, user=world["reporter"], text="ไม่กล่าวถึงใครแล้ว")
    assert not Mention.objects.exists()
    assert Notification.objects.filter(kind=Kind.MENTIONED).count() == 2


# --- edits, resolve, reopen ------------------------------------------------------

def test_edits_are_kept_in_history_and_shown(client, world):
    thread = a_thread(world, text="ฉบับแรก")
    message = thread.messages.get()
    client.force_login(world["reporter"])
    response = client.post(f"/conversations/messages/{message.pk}/edit/", {"text": "ฉบับที่สอง"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.text == "ฉบับที่สอง" and message.edited_at is not None
    assert [h.text for h in message.history.order_by("history_date")] == ["ฉบับแรก", "ฉบับที่สอง"]
    assert "แก้ไขแล้ว" in client.get(indicator_page(world["indicator"])).content.decode()
    history = client.get(f"/conversations/messages/{message.pk}/history/").content.decode()
    assert "ฉบับแรก" in history and "ฉบับที่สอง" in history


def test_nobody_edits_someone_elses_message(client, world):
    message = a_thread(world, text="ของผู้รายงาน").messages.get()
    client.force_login(world["evaluator"])
    assert client.post(f"/conversations/messages/{message.pk}/edit/", {"text": "แก้"}).status_code == 403
    message.refresh_from_db()
    assert message.text == "ของผู้รายงาน" and message.history.count() == 1


def test_resolve_and_reopen(client, world):
    thread = a_thread(world)
    client.force_login(world["evaluator"])
    client.post(f"/conversations/threads/{thread.pk}/resolve/")
    thread.refresh_from_db()
    assert thread.resolved_by == world["evaluator"] and thread.resolved_at is not None
    response = client.post(f"/conversations/threads/{thread.pk}/post/", {"text": "พิมพ์ไว้ยาว ๆ"})
    assert response.status_code == 400 and "ได้ข้อยุติแล้ว" in response.content.decode()
    client.force_login(world["reporter"])
    client.post(f"/conversations/threads/{thread.pk}/reopen/")
    thread.refresh_from_db()
    assert thread.resolved_at is None and thread.resolved_by is None
    assert thread.history.count() == 3


def test_empty_text_gets_a_thai_message_and_keeps_the_title(client, world):
    client.force_login(world["reporter"])
    response = client.post(indicator_page(world["indicator"]) + "start/", {"title": "หัวข้อที่พิมพ์", "text": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาพิมพ์ข้อความ" in page and 'value="หัวข้อที่พิมพ์"' in page
    assert not Thread.objects.exists()


def test_text_longer_than_the_limit_is_refused(client, world, settings):
    settings.LONG_TEXT_MAX_LENGTH = 10
    client.force_login(world["reporter"])
    response = client.post(indicator_page(world["indicator"]) + "start/", {"text": "ก" * 11})
    assert response.status_code == 400 and "ยาวได้ไม่เกิน" in response.content.decode()
    assert not Thread.objects.exists()


# --- returns start threads -------------------------------------------------------

def test_a_returned_indicator_quarter_starts_a_thread(world):
    result = QuarterResultFactory(indicator=world["indicator"], quarter=2, value=Decimal("40"),
                                  status=QuarterResult.Status.SUBMITTED, submitted_at=timezone.now(), version=2)
    evaluation_services.return_for_correction(result=result, user=world["evaluator"], expected_version=2,
                                              comment="ตัวเลขไม่ตรงกับเอกสาร")
    thread = Thread.objects.get(indicator=world["indicator"], quarter=2)
    assert thread.created_by == world["evaluator"] and thread.title == "ส่งกลับแก้ไข ไตรมาสที่ 2"
    assert [m.text for m in thread.messages.all()] == ["ตัวเลขไม่ตรงกับเอกสาร"]


def test_a_returned_project_update_starts_a_thread(world):
    update = ProjectUpdateFactory(project=world["project"], quarter=2, status=ProjectUpdate.Status.SUBMITTED,
                                  submitted_at=timezone.now(), version=3, progress=Decimal("40"))
    project_review.return_for_correction(update=update, user=world["evaluator"], expected_version=3,
                                         comment="ขอรูปถ่ายกิจกรรม")
    thread = Thread.objects.get(project=world["project"], quarter=2)
    assert [(m.author, m.text) for m in thread.messages.all()] == [(world["evaluator"], "ขอรูปถ่ายกิจกรรม")]


def test_a_refused_return_starts_no_thread(world):
    result = QuarterResultFactory(indicator=world["indicator"], quarter=2, status=QuarterResult.Status.SUBMITTED,
                                  version=2)
    with pytest.raises(StaleVersion):
        evaluation_services.return_for_correction(result=result, user=world["evaluator"], expected_version=1,
                                                  comment="ช้าไป")
    assert not Thread.objects.exists()


# --- escaping and the next guard -------------------------------------------------

def test_text_is_escaped(client, world):
    a_thread(world, text="<script>alert(1)</script>")
    client.force_login(world["evaluator"])
    page = client.get(indicator_page(world["indicator"])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("bad", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_next_goes_only_to_this_site(client, world, bad):
    thread = a_thread(world)
    client.force_login(world["reporter"])
    response = client.post(f"/conversations/threads/{thread.pk}/post/", {"text": "ตอบ", "next": bad})
    assert response["Location"].startswith(indicator_page(world["indicator"]) + "#message-")


def test_next_brings_back_to_the_report_form(client, world):
    thread = a_thread(world)
    client.force_login(world["reporter"])
    form = f"/indicators/{world['indicator'].fiscal_year.year}/{world['indicator'].code}/quarters/2/report/"
    response = client.post(f"/conversations/threads/{thread.pk}/resolve/", {"next": form})
    assert response["Location"] == f"{form}#thread-{thread.pk}"


# --- the pages that show threads, with fixed queries ------------------------------

def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _more_threads(world, on, n):
    for i in range(n):
        thread = a_thread(world, on=on, text=f"เรื่องที่ {i}")
        for j in range(3):
            services.post_message(thread=thread, user=world["evaluator"], text=f"ตอบ {i}.{j}")


def test_the_indicator_review_page_shows_open_threads_with_fixed_queries(client, world, django_assert_num_queries):
    QuarterResultFactory(indicator=world["indicator"], quarter=2, status=QuarterResult.Status.SUBMITTED, version=2)
    resolved = a_thread(world, text="เรื่องที่จบแล้ว")
    services.resolve(thread=resolved, user=world["evaluator"])
    a_thread(world, text="เรื่องที่ยังเปิด")
    client.force_login(world["evaluator"])
    url = f"/review/{world['indicator'].fiscal_year.year}/{world['indicator'].code}/2/"
    small, page = _queries(client, url)
    assert "เรื่องที่ยังเปิด" in page and "เรื่องที่จบแล้ว" not in page
    _more_threads(world, "indicator", 6)
    with django_assert_num_queries(small):
        assert "เรื่องที่ 5" in client.get(url).content.decode()


def test_the_project_review_page_shows_open_threads_with_fixed_queries(client, world, django_assert_num_queries):
    ProjectUpdateFactory(project=world["project"], quarter=2, status=ProjectUpdate.Status.SUBMITTED, version=3)
    a_thread(world, on="project", text="เรื่องโครงการ")
    client.force_login(world["evaluator"])
    url = f"/review/projects/{world['project'].fiscal_year.year}/{world['project'].code}/2/"
    small, page = _queries(client, url)
    assert "เรื่องโครงการ" in page
    _more_threads(world, "project", 6)
    with django_assert_num_queries(small):
        client.get(url)


def test_the_conversation_pages_have_fixed_queries(client, world, django_assert_num_queries):
    a_thread(world)
    a_thread(world, on="project")
    client.force_login(world["reporter"])
    small_indicator, _ = _queries(client, indicator_page(world["indicator"]))
    small_project, _ = _queries(client, project_page(world["project"]))
    _more_threads(world, "indicator", 5)
    _more_threads(world, "project", 5)
    with django_assert_num_queries(small_indicator):
        client.get(indicator_page(world["indicator"]))
    with django_assert_num_queries(small_project):
        client.get(project_page(world["project"]))


def test_the_report_form_shows_the_quarters_threads(client, world):
    a_thread(world, text="คำถามถึงผู้รายงาน")
    client.force_login(world["reporter"])
    url = f"/indicators/{world['indicator'].fiscal_year.year}/{world['indicator'].code}/quarters/2/report/"
    page = client.get(url).content.decode()
    assert "คำถามถึงผู้รายงาน" in page and f'name="next" value="{url}"' in page


def test_the_project_update_form_links_to_its_conversation(client, world):
    client.force_login(world["reporter"])
    project = world["project"]
    page = client.get(f"/projects/{project.fiscal_year.year}/{project.code}/quarters/2/update/").content.decode()
    assert f'href="{project_page(project)}"' in page
