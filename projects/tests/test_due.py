"""The projects whose quarter update is still due (projects/due.py): none
yet, a draft or a returned one is due; submitted and accepted are not; a
quarter reopened until after the deadline waits for its own date; other
years and other quarters do not count; one query."""

import datetime

import pytest

from indicators.models import Quarter
from projects import due
from projects.models import ProjectUpdate
from tests.factories import AgencyFactory, FiscalYearFactory, ProjectFactory, ProjectUpdateFactory

S = ProjectUpdate.Status
CLOSES = datetime.date(2027, 1, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    year = FiscalYearFactory(year=2570)
    quarter = Quarter.objects.create(fiscal_year=year, number=1, opens_on=datetime.date(2026, 11, 1),
                                     closes_on=CLOSES)
    a, b = AgencyFactory(), AgencyFactory()
    made = {"quarter": quarter, "a": a, "b": b}
    made["none"] = ProjectFactory(fiscal_year=year, owner=a, code="1000-1")
    for n, status in enumerate([S.NOT_STARTED, S.DRAFT, S.RETURNED, S.SUBMITTED, S.ACCEPTED], start=2):
        made[status] = ProjectFactory(fiscal_year=year, owner=a, code=f"1000-{n}")
        ProjectUpdateFactory(project=made[status], quarter=1, status=status)
    # Accepted in another quarter only: still due for quarter 1.
    made["q2"] = ProjectFactory(fiscal_year=year, owner=b, code="2000-1")
    ProjectUpdateFactory(project=made["q2"], quarter=2, status=S.ACCEPTED)
    # Another year's project never counts.
    ProjectFactory(fiscal_year=FiscalYearFactory(year=2569), owner=a, code="1000-99")
    return made


def codes(queryset):
    return [p.code for p in queryset]


def test_due_unless_submitted_or_accepted(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = codes(due.due_projects(world["quarter"]))
    assert found == ["1000-1", "1000-2", "1000-3", "1000-4", "2000-1"]


def test_narrowed_to_agencies(world):
    assert codes(due.due_projects(world["quarter"], agency_ids=[world["b"].pk])) == ["2000-1"]
    assert codes(due.due_projects(world["quarter"], agency_ids=[])) == []


def test_a_quarter_reopened_beyond_the_deadline_waits_for_its_own_date(world):
    returned = ProjectUpdate.objects.get(project=world[S.RETURNED], quarter=1)
    returned.reopened_until = CLOSES + datetime.timedelta(days=10)
    returned.save()
    assert world[S.RETURNED].code not in codes(due.due_projects(world["quarter"]))
    # The day after its own date it is due again (the overdue notice's deadline).
    later = CLOSES + datetime.timedelta(days=11)
    assert world[S.RETURNED].code in codes(due.due_projects(world["quarter"], deadline=later))


@pytest.mark.parametrize("status, expected", [
    (None, due.DUE), (S.NOT_STARTED, due.DUE), (S.DRAFT, due.DUE), (S.RETURNED, due.DUE),
    (S.SUBMITTED, due.SUBMITTED), (S.ACCEPTED, due.ACCEPTED),
])
def test_state(status, expected):
    assert due.state(status) == expected
