"""Project updates in the review queue beside indicator results: which wait,
the ประเภท filter that separates them, the other filters applied to them,
the per-quarter counts, and a fixed number of queries."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Project, ProjectUpdate
from projects.progress import OVER_BUDGET
from tests.factories import (
    AgencyFactory,
    DistrictGroupFactory,
    FiscalYearFactory,
    IndicatorFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    QuarterResultFactory,
)
from tests.helpers import page_text

QUEUE = "/review/"


def project_codes(response):
    html = response.content.decode()
    if 'id="project-review-queue"' not in html:
        return []
    table = html.split('id="project-review-queue"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/review/projects/\d+/([^/]+)/\d/">[^<]*</a><br>', table)


def indicator_codes(response):
    html = response.content.decode()
    if 'id="review-queue"' not in html:
        return []
    table = html.split('id="review-queue"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/review/\d+/([^/]+)/\d/">[^<]*</a><br>', table)


def waiting_update(project=None, quarter=1, days_ago=1, **fields):
    return ProjectUpdateFactory(project=project or ProjectFactory(), quarter=quarter, status="submitted",
                                submitted_at=timezone.now() - datetime.timedelta(days=days_ago), **fields)


def waiting_result(**fields):
    return QuarterResultFactory(indicator=IndicatorFactory(**fields), quarter=1, status="submitted",
                                submitted_at=timezone.now())


def test_project_updates_wait_beside_indicator_results_oldest_first(db, evaluator_client):
    result = waiting_result()
    newest, oldest = waiting_update(days_ago=1), waiting_update(days_ago=9)
    for status in ("draft", "returned", "accepted", "not_started"):
        ProjectUpdateFactory(status=status)
    response = evaluator_client.get(QUEUE)
    assert indicator_codes(response) == [result.indicator.code]
    assert project_codes(response) == [oldest.project.code, newest.project.code]
    assert 'id="project-queue-count">พบ 2 รายการ' in response.content.decode()


def test_the_kind_filter_separates_them(db, evaluator_client):
    result = waiting_result()
    update = waiting_update()
    html = evaluator_client.get(QUEUE).content.decode()
    assert "ประเภท" in html and ">ตัวชี้วัด</option>" in html and ">โครงการ</option>" in html

    only_projects = evaluator_client.get(QUEUE, {"kind": "projects"})
    assert project_codes(only_projects) == [update.project.code]
    assert indicator_codes(only_projects) == [] and 'id="review-queue"' not in only_projects.content.decode()

    only_indicators = evaluator_client.get(QUEUE, {"kind": "indicators"})
    assert indicator_codes(only_indicators) == [result.indicator.code]
    assert 'id="project-queue-section"' not in only_indicators.content.decode()


def test_the_other_filters_apply_to_project_updates(db, evaluator_client):
    year_a, year_b = FiscalYearFactory(year=2566), FiscalYearFactory(year=2567)
    agency = AgencyFactory()
    a1 = waiting_update(ProjectFactory(fiscal_year=year_a, owner=agency), quarter=1)
    a2 = waiting_update(ProjectFactory(fiscal_year=year_a), quarter=2)
    b2 = waiting_update(ProjectFactory(fiscal_year=year_b, owner=agency), quarter=2, days_ago=20)

    def codes(query):
        return set(project_codes(evaluator_client.get(QUEUE, query)))

    assert codes({"fiscal_year": year_a.pk}) == {a1.project.code, a2.project.code}
    assert codes({"quarter": 2}) == {a2.project.code, b2.project.code}
    assert codes({"agency": agency.pk}) == {a1.project.code, b2.project.code}
    assert codes({"agency": agency.pk, "quarter": 2, "fiscal_year": year_b.pk}) == {b2.project.code}
    assert codes({"submitted": "7"}) == {a1.project.code, a2.project.code}
    newest_first = project_codes(evaluator_client.get(QUEUE, {"order": "newest"}))
    assert newest_first[-1] == b2.project.code


def test_the_district_group_takes_offices_and_projects_in_its_districts(db, evaluator_client):
    group, other = DistrictGroupFactory(), DistrictGroupFactory()
    office = waiting_update(ProjectFactory(owner=AgencyFactory(kind="district_office", district_group=group)))
    hosted_project = ProjectFactory()
    hosted_project.districts.add(AgencyFactory(kind="district_office", district_group=group))
    hosted = waiting_update(hosted_project)
    waiting_update(ProjectFactory(owner=AgencyFactory(kind="district_office", district_group=other)))
    codes = set(project_codes(evaluator_client.get(QUEUE, {"district_group": group.pk})))
    assert codes == {office.project.code, hosted.project.code}


def test_quarter_counts_add_both_kinds_under_the_kind_filter(db, evaluator_client):
    waiting_result()  # quarter 1
    waiting_update(quarter=1)
    waiting_update(quarter=3)
    counts = dict(re.findall(r'data-quarter="(\d)">(\d+)<', evaluator_client.get(QUEUE).content.decode()))
    assert counts == {"1": "2", "2": "0", "3": "1", "4": "0"}
    html = evaluator_client.get(QUEUE, {"kind": "projects"}).content.decode()
    assert dict(re.findall(r'data-quarter="(\d)">(\d+)<', html)) == {"1": "1", "2": "0", "3": "1", "4": "0"}


def test_the_row_shows_progress_budget_used_and_warnings(db, evaluator_client):
    waiting_update(ProjectFactory(budget_allocated=Decimal("200000")), progress=Decimal("35.5"),
                   disbursed=Decimal("250000"), warnings=[OVER_BUDGET], warnings_confirmed=True)
    text = page_text(evaluator_client.get(QUEUE, {"kind": "projects"}))
    assert "35.50" in text and "125.00" in text
    assert "⚠ เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ" in text and "ผู้รายงานยืนยันแล้ว" in text


def test_an_invalid_kind_is_a_message_and_both_kinds_stay(db, evaluator_client):
    update = waiting_update()
    response = evaluator_client.get(QUEUE, {"kind": "อื่น"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert project_codes(response) == [update.project.code]


def _queries(client, query=None):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE, query or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_query_count_is_fixed_for_project_updates(db, evaluator_client):
    group = DistrictGroupFactory()
    waiting_update(ProjectFactory(owner=AgencyFactory(district_group=group)))
    small = _queries(evaluator_client)
    small_filtered = _queries(evaluator_client, {"kind": "projects", "district_group": group.pk})
    for n in range(30):
        year = FiscalYearFactory(year=2560 + n % 5)
        project = ProjectFactory(owner=AgencyFactory(district_group=group if n % 2 else None), fiscal_year=year)
        waiting_update(project, quarter=1 + n % 4, days_ago=n, submitted_by=None, warnings=[OVER_BUDGET])
    assert ProjectUpdate.objects.filter(status="submitted").count() == 31 and Project.objects.count() == 31
    assert _queries(evaluator_client) == small
    assert _queries(evaluator_client, {"kind": "projects", "district_group": group.pk}) == small_filtered
    assert small <= 15
