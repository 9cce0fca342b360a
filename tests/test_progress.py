"""The reporting-progress page: its counts agree with the list's statuses
and with the quarters' workflow states over random data, it runs a fixed
number of queries, its permissions are a matrix, and its button reminds a
late agency (evaluators and managers only)."""

import csv
import datetime
import io
import random
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import synthetic
from indicators.filters import filter_for
from indicators.models import Agency, DistrictGroup, Quarter, QuarterResult
from indicators.selectors.browse import visible
from reports import progress

from .factories import AgencyFactory, IndicatorFactory, QuarterResultFactory
from .helpers import page_text

pytestmark = pytest.mark.django_db

YEAR, QUARTER = 2570, 2
URL = f"/reports/progress/?year={YEAR}&quarter={QUARTER}"


def random_city(indicators=150, seed=7):
    synthetic.generate(indicators=indicators, years=1, last_year=YEAR, seed=seed, narratives=False,
                       reporting_quarter=QUARTER, log=lambda *a: None)
    rng = random.Random(seed)
    window = Quarter.objects.get(fiscal_year__year=YEAR, number=QUARTER)
    close = timezone.make_aware(datetime.datetime.combine(window.closes_on, datetime.time(12)))
    for result in QuarterResult.objects.filter(indicator__fiscal_year__year=YEAR, quarter=QUARTER):
        result.submitted_at = close + datetime.timedelta(days=rng.choice([-20, -1, 0, 1, 5]))
        if rng.random() < 0.1:
            result.reopened_until = window.closes_on + datetime.timedelta(days=3)
        result.save(update_fields=["submitted_at", "reopened_until"])


def list_count(user, **filters):
    filterset, _years = filter_for(user, {"year": str(YEAR), "quarter": str(QUARTER), **filters})
    return filterset.qs.count()


def test_counts_agree_with_the_list_and_the_workflow_over_random_data(make_user):
    random_city()
    manager = make_user("manager")
    data = progress.progress(visible(manager),
                             year=YEAR, quarter=QUARTER)
    assert data.rows and data.total.total == list_count(manager)
    window = data.window
    for row in data.rows:
        agency = Agency.objects.get(pk=row.key)
        assert row.total == list_count(manager, agency=agency.code) == sum(row.counts.values())
        assert row.evaluated == (list_count(manager, agency=agency.code, status="met")
                                 + list_count(manager, agency=agency.code, status="not_met"))
        assert row.not_reported == list_count(manager, agency=agency.code, status="not_reported")
        results = QuarterResult.objects.filter(indicator__owner=agency, indicator__fiscal_year__year=YEAR,
                                               quarter=QUARTER)
        done = results.filter(status__in=["submitted", "accepted"])
        late = [r for r in done if timezone.localdate(r.submitted_at) > max(window.closes_on, r.reopened_until
                                                                              or window.closes_on)]
        assert row.counts["late"] == len(late)
        assert row.counts["on_time"] == done.count() - len(late)
        assert row.counts["returned"] == results.filter(status="returned").count()
    # By district group: the same indicators, regrouped.
    by_group = progress.progress(visible(manager),
                                 year=YEAR, quarter=QUARTER, by="group")
    assert by_group.total.counts == data.total.counts
    for row in by_group.rows:
        if row.key is not None:
            code = DistrictGroup.objects.get(pk=row.key).code
            assert row.total == list_count(manager, group=code)


def test_the_page_runs_a_fixed_number_of_queries(client, make_user):
    client.force_login(make_user("evaluator"))
    random_city(indicators=20, seed=1)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    queries()
    small = queries()
    random_city(indicators=300, seed=2)
    assert queries() == small


def test_the_page_shows_counts_completion_and_days_left(client, make_user):
    today = timezone.localdate()
    year = IndicatorFactory(code="X-1").fiscal_year
    agency = AgencyFactory(name="สำนักการโยธา")
    Quarter.objects.create(fiscal_year=year, number=1, opens_on=today - datetime.timedelta(days=3),
                           closes_on=today + datetime.timedelta(days=4))
    for n, status in enumerate(["submitted", "accepted", "returned", "draft"]):
        QuarterResultFactory(indicator=IndicatorFactory(fiscal_year=year, owner=agency, code=f"P-{n}"), quarter=1,
                             status=status, submitted_at=timezone.now())
    IndicatorFactory(fiscal_year=year, owner=agency, code="P-none")
    client.force_login(make_user("manager"))
    text = page_text(client.get(f"/reports/progress/?year={year.year}&quarter=1"))
    assert "สำนักการโยธา 5 2 0 1 2 40.0" in text
    assert "เหลืออีก 4 วัน" in text


@pytest.mark.parametrize("role, sees_all, may_remind", [
    ("evaluator", True, True), ("manager", True, True), ("administrator", True, False), ("reporter", False, False),
])
def test_permission_matrix(client, make_user, role, sees_all, may_remind):
    random_city(indicators=40, seed=3)
    own = Agency.objects.filter(indicators__fiscal_year__year=YEAR).distinct().first()
    late = next(r for r in progress.progress(visible(make_user("manager")), year=YEAR, quarter=QUARTER).rows
                if r.counts["missing"])
    make_user("reporter", [Agency.objects.get(pk=late.key)])  # someone the button could remind
    user = make_user(role, [own])
    client.force_login(user)
    response = client.get(URL)
    rows = response.context["data"].rows
    assert (len(rows) > 1) == sees_all
    if not sees_all:
        assert [r.key for r in rows] == [own.pk]
    assert ("ส่งการเตือน" in response.content.decode()) == may_remind
    exported = client.get(URL.replace("/?", "/export.csv?")).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(exported)))
    assert lines[0][:2] == ["หน่วยงาน", "จำนวนตัวชี้วัด"] and len(lines) == len(rows) + 2
    reply = client.post("/reports/progress/remind/", {"year": YEAR, "quarter": QUARTER, "agency": own.code})
    assert reply.status_code == (302 if may_remind else 403)


def test_the_button_reminds_the_late_agencys_reporters_once_a_day(client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    random_city(indicators=60, seed=4)
    late = next(r for r in progress.progress(
        visible(make_user("manager")),
        year=YEAR, quarter=QUARTER).rows if r.counts["missing"])
    agency = Agency.objects.get(pk=late.key)
    reporter, other = make_user("reporter", [agency]), make_user("reporter", [AgencyFactory()])
    for user in (reporter, other):
        user.email = f"{user.username}@example.go.th"
        user.save()
    client.force_login(make_user("evaluator"))
    reply = client.post("/reports/progress/remind/", {"year": YEAR, "quarter": QUARTER, "agency": agency.code},
                        follow=True)
    assert f"ส่งการเตือนถึงเจ้าหน้าที่ของ {agency.name} แล้ว 1 คน" in page_text(reply)
    assert [m.to for m in mail.outbox] == [[reporter.email]]
    assert "ผู้ตรวจประเมินขอให้ส่งรายงานไตรมาสที่ 2" in mail.outbox[0].subject
    again = client.post("/reports/progress/remind/", {"year": YEAR, "quarter": QUARTER, "agency": agency.code},
                        follow=True)
    assert "ไปแล้ว" in page_text(again) and len(mail.outbox) == 1


def remind_cell(response, agency):
    row = re.search(rf'<tr data-agency="{agency.code}">(.*?)</tr>', response.content.decode(), re.S).group(1)
    return page_text(re.search(r'<td class="remind">(.*?)</td>', row, re.S).group(1)).strip()


def test_the_button_is_offered_only_with_someone_to_remind_and_says_how_many(client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    random_city(indicators=60, seed=4)
    late = next(r for r in progress.progress(visible(make_user("manager")), year=YEAR, quarter=QUARTER).rows
                if r.counts["missing"])
    agency = Agency.objects.get(pk=late.key)
    client.force_login(make_user("manager"))
    assert remind_cell(client.get(URL), agency) == ""  # nobody to remind: no button
    for n in range(2):
        reporter = make_user("reporter", [agency])
        reporter.email = f"reporter{n}@example.go.th"
        reporter.save()
    assert remind_cell(client.get(URL), agency) == "ส่งการเตือน (2 คน)"
    reply = client.post("/reports/progress/remind/", {"year": YEAR, "quarter": QUARTER, "agency": agency.code},
                        follow=True)
    assert f"ส่งการเตือนถึงเจ้าหน้าที่ของ {agency.name} แล้ว 2 คน" in page_text(reply)
    assert len(mail.outbox) == 2
    assert remind_cell(reply, agency) == "เตือนแล้ววันนี้ 2 คน"


def test_bad_parameters_are_404(client, make_user):
    client.force_login(make_user("manager"))
    random_city(indicators=5, seed=5)
    assert client.get("/reports/progress/?year=abc").status_code == 404
    assert client.get("/reports/progress/?year=2570&quarter=9").status_code == 404
    assert client.get("/reports/progress/export.pdf?year=2570").status_code == 404


def test_xlsx_export(client, make_user):
    from openpyxl import load_workbook

    random_city(indicators=30, seed=6)
    client.force_login(make_user("evaluator"))
    response = client.get(URL.replace("/?", "/export.xlsx?") + "&by=group")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "กลุ่มเขต"
    assert sheet.cell(sheet.max_row, 1).value == "รวมทั้งหมด"
    assert sheet.cell(sheet.max_row, 2).value == 30
