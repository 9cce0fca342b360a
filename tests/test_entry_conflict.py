"""No lost updates: when two people edit the same quarter, the later save is
refused, shows the other person's change, and keeps what the later writer typed."""

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client

from indicators import workflow
from indicators.models import QuarterResult
from reports import services
from reports.models import Evidence, Narrative, PendingEvidence

from .entry_support import open_indicator, png_file, post_report, report_url
from .factories import QuarterResultFactory
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    return open_indicator()


@pytest.fixture
def two_writers(make_user, indicator):
    first = make_user("reporter", [indicator.owner])
    first.first_name, first.last_name = "สมหมาย", "คนแรก"
    first.save()
    second = make_user("reporter", [indicator.owner])
    clients = []
    for user in (first, second):
        c = Client()
        c.force_login(user)
        clients.append(c)
    return clients


def test_later_save_is_refused_and_shows_the_other_change(two_writers, indicator, media_root):
    first, second = two_writers
    # Both open the form while the quarter is at version 0.
    for c in (first, second):
        assert 'name="version" value="0"' in c.get(report_url(indicator)).content.decode()

    assert post_report(first, indicator, version=0, value="10", narrative="ฉบับของคนแรก").status_code == 302

    response = post_report(second, indicator, version=0, value="20", narrative="ฉบับของคนที่สอง",
                           files=[png_file("ของคนที่สอง.png")])
    assert response.status_code == 409
    page = response.content.decode()
    assert "มีผู้อื่นแก้ไขไตรมาสนี้ระหว่างที่ท่านกำลังแก้ไข" in page
    assert "สมหมาย คนแรก" in page  # who
    conflict_panel = page[page.index('id="conflict"'):page.index('id="report-form"')]
    assert "ฉบับของคนแรก" in conflict_panel and ">10<" in conflict_panel  # what they saved
    form_part = page[page.index('id="report-form"'):]
    assert "ฉบับของคนที่สอง" in form_part and 'value="20"' in form_part  # nothing typed lost
    assert 'name="version" value="1"' in form_part
    # The photo is kept for the second writer, not asked for again.
    assert "ไฟล์ที่แนบไว้: ของคนที่สอง.png (จะบันทึกเมื่อกดบันทึก)" in page_text(form_part)
    [pending] = PendingEvidence.objects.all()

    # Nothing of the second writer reached the report: the photo waits as pending.
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert (result.value, result.version) == (Decimal("10"), 1)
    assert Narrative.objects.get(indicator=indicator).text == "ฉบับของคนแรก"
    assert not Evidence.objects.exists()
    assert [p.name for p in Path(media_root).rglob("*") if p.is_file()] == [Path(pending.file.name).name]

    # Having seen the other change, the second writer may save knowingly.
    assert post_report(second, indicator, version=1, value="20", narrative="ฉบับของคนที่สอง",
                       pending=[pending.pk]).status_code == 302
    result.refresh_from_db()
    assert (result.value, result.version) == (Decimal("20"), 2)
    assert Evidence.objects.get().original_name == "ของคนที่สอง.png"


def test_a_save_of_mine_in_another_tab_is_not_called_someone_else(make_user, indicator):
    """The same reporter, two tabs: the second save is refused (its version
    is old) and the page says it was the reporter's own save, with its time."""
    from reports.templatetags.entry import thai_datetime

    me = make_user("reporter", [indicator.owner])
    me.first_name, me.last_name = "สมศรี", "สองแท็บ"
    me.save()
    c = Client()
    c.force_login(me)
    assert post_report(c, indicator, version=0, value="10", narrative="จากแท็บแรก").status_code == 302
    response = post_report(c, indicator, version=0, value="12", narrative="จากแท็บที่สอง")
    assert response.status_code == 409
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    panel = page_text(response.content.decode().split('id="conflict"', 1)[1].split('id="report-form"', 1)[0])
    assert "ผู้อื่น" not in panel
    assert "ท่านเองบันทึกไตรมาสนี้จากหน้าต่างหรือแท็บอื่น" in panel
    assert f"ท่านบันทึกไว้เมื่อ {thai_datetime(result.updated_at)} น." in panel
    assert "สมศรี สองแท็บ" not in panel
    assert 'value="12"' in response.content.decode().split('id="report-form"', 1)[1]  # nothing typed lost

    # Someone else saving after my other tab: named, and called someone else.
    other = make_user("reporter", [indicator.owner])
    other.first_name, other.last_name = "สมชาย", "คนอื่น"
    other.save()
    oc = Client()
    oc.force_login(other)
    assert post_report(oc, indicator, version=1, value="11", narrative="ของสมชาย").status_code == 302
    panel = page_text(post_report(c, indicator, version=0, value="12").content.decode().split('id="conflict"', 1)[1])
    assert "มีผู้อื่นแก้ไขไตรมาสนี้ระหว่างที่ท่านกำลังแก้ไข" in panel and "สมชาย คนอื่น" in panel


def test_conflict_with_a_submission_keeps_the_typed_text_but_offers_no_save(two_writers, indicator):
    first, second = two_writers
    post_report(first, indicator, version=0, value="10", narrative="ส่งแล้ว", action="submit")
    response = post_report(second, indicator, version=0, value="11", narrative="ข้อความที่พิมพ์ค้างไว้")
    assert response.status_code == 409
    page = response.content.decode()
    assert "ข้อความที่พิมพ์ค้างไว้" in page
    assert "<fieldset disabled>" in page
    assert QuarterResult.objects.get(indicator=indicator).value == Decimal("10")


def test_service_refuses_a_stale_version_and_writes_nothing(make_user, indicator, media_root):
    user = make_user("reporter", [indicator.owner])
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("5"), status="draft", version=3)
    changes = services.ReportChanges(
        value=Decimal("6"), narratives={None: "ใหม่"}, new_files=[(png_file(), "image/png")]
    )
    with pytest.raises(workflow.StaleVersion) as caught:
        services.save_quarter_report(user=user, indicator=indicator, quarter_number=1, expected_version=2,
                                     changes=changes)
    assert caught.value.current.version == 3
    result = QuarterResult.objects.get(indicator=indicator)
    assert (result.value, result.version) == (Decimal("5"), 3)
    assert not Narrative.objects.exists() and not Evidence.objects.exists()


def test_a_failure_after_the_files_were_written_removes_them(make_user, indicator, media_root, monkeypatch):
    user = make_user("reporter", [indicator.owner])
    original_save = Evidence.save

    def failing_save(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(Evidence, "save", failing_save)
    changes = services.ReportChanges(value=Decimal("1"), new_files=[(png_file(), "image/png")])
    with pytest.raises(RuntimeError):
        services.save_quarter_report(user=user, indicator=indicator, quarter_number=1, expected_version=0,
                                     changes=changes)
    assert not QuarterResult.objects.exists()
    assert not any(p.is_file() for p in Path(media_root).rglob("*"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("row_exists", [True, False])
def test_truly_simultaneous_saves_let_exactly_one_through(make_user, row_exists):
    """Two transactions at the same instant: the row lock (or the unique
    constraint when the row is new) makes the second see the first's version."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (runs on PostgreSQL in CI)")
    indicator = open_indicator()
    if row_exists:
        QuarterResultFactory(indicator=indicator, quarter=1, value=None, status="not_started", version=0)
    users = [make_user("reporter", [indicator.owner]) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def write(user, value):
        try:
            barrier.wait()
            services.save_quarter_report(user=user, indicator=indicator, quarter_number=1, expected_version=0,
                                         changes=services.ReportChanges(value=Decimal(value)))
            outcomes.append("saved")
        except workflow.StaleVersion:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(u, v)) for u, v in zip(users, ("1", "2"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert QuarterResult.objects.get(indicator=indicator).version == 1


def test_service_refuses_to_submit_without_a_result(make_user, indicator):
    from django.core.exceptions import ValidationError

    user = make_user("reporter", [indicator.owner])
    with pytest.raises(ValidationError):
        services.save_quarter_report(user=user, indicator=indicator, quarter_number=1, expected_version=0,
                                     changes=services.ReportChanges(value=None, submit=True))
    assert not QuarterResult.objects.exists()


def test_service_refuses_a_reporter_of_another_agency(make_user, indicator):
    stranger = make_user("reporter", [open_indicator().owner])
    with pytest.raises(services.ReportRefused) as caught:
        services.save_quarter_report(user=stranger, indicator=indicator, quarter_number=1, expected_version=0,
                                     changes=services.ReportChanges(value=Decimal("1")))
    assert "หน่วยงานอื่น" in str(caught.value)
    assert not QuarterResult.objects.exists()


def test_a_version_from_nowhere_on_an_untouched_quarter_saves_nothing(make_user, indicator):
    client = Client()
    client.force_login(make_user("reporter", [indicator.owner]))
    response = post_report(client, indicator, version=7, value="3", narrative="พิมพ์ไว้")
    assert response.status_code == 409
    assert "พิมพ์ไว้" in response.content.decode()
    assert not QuarterResult.objects.filter(indicator=indicator).exists()
