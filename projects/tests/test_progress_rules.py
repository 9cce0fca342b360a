"""The rules of a project's progress (projects/progress.py) on plain values."""

import datetime
from decimal import Decimal as D

import pytest

from projects import progress
from projects.progress import Activity, Standing

DAY = datetime.date


@pytest.mark.parametrize(("weights", "refused"), [
    ([D(50), D(30), D(20)], False),
    ([D("33.33"), D("33.33"), D("33.34")], False),
    ([D(50), D(30)], True),
    ([D(60), D(50)], True),
    ([], False),  # no activities: the progress is typed
])
def test_the_weights_of_a_projects_activities_total_100(weights, refused):
    message = progress.weights_refusal(weights)
    assert (message is not None) == refused
    if refused:
        assert "ต้องเท่ากับ 100" in message and str(sum(weights)).rstrip("0").rstrip(".") in message


def test_progress_is_the_weighted_sum_of_the_activities():
    assert progress.weighted_progress([(D(50), D(100)), (D(30), D(50)), (D(20), None)]) == D("65.00")
    assert progress.weighted_progress([(D("33.33"), D(100)), (D("66.67"), D(10))]) == D("40.00")
    assert progress.weighted_progress([]) is None


def test_the_plan_expects_a_straight_line_between_start_and_finish():
    start, finish = DAY(2024, 10, 1), DAY(2024, 12, 31)
    assert progress.planned_fraction(start, finish, DAY(2024, 9, 30)) == 0
    assert progress.planned_fraction(start, finish, DAY(2024, 12, 31)) == 100
    assert progress.planned_fraction(start, finish, DAY(2024, 11, 15)) == D("49.45")  # 45 of 91 days
    assert progress.planned_fraction(None, finish, DAY(2024, 11, 15)) is None
    activities = [Activity(D(40), start, DAY(2024, 10, 31)), Activity(D(60), DAY(2024, 11, 1), finish)]
    assert progress.planned_progress(activities, None, None, DAY(2024, 11, 1)) == D("40.00")
    assert progress.planned_progress([], start, finish, DAY(2025, 1, 5)) == 100


def test_an_activity_past_its_finish_and_not_complete_is_overdue():
    finish = DAY(2025, 3, 31)
    assert progress.is_overdue(finish, D(80), DAY(2025, 4, 1))
    assert progress.is_overdue(finish, None, DAY(2025, 4, 1))
    assert not progress.is_overdue(finish, D(100), DAY(2025, 4, 1))
    assert not progress.is_overdue(finish, D(80), finish)  # its last day is still on time
    assert not progress.is_overdue(None, D(0), DAY(2030, 1, 1))


# (given, expected): also what tests/test_project_standing.py stores.
STANDING_CASES = [
    ({"progress": D(100)}, Standing.FINISHED),
    ({"progress": D(90), "actual_finish": DAY(2025, 1, 1)}, Standing.FINISHED),
    ({"progress": D(90), "planned_finish": DAY(2025, 1, 1)}, Standing.OVERDUE),
    ({"progress": D(90), "any_activity_overdue": True}, Standing.OVERDUE),
    ({"progress": D(30), "planned": D("40.00")}, Standing.BEHIND),
    ({"progress": None, "planned": D(0)}, Standing.NOT_STARTED),
    ({"progress": D(0), "planned": None}, Standing.NOT_STARTED),
    ({"progress": D(45), "planned": D(40)}, Standing.ON_PLAN),
]
STANDING_DAY = DAY(2025, 2, 1)


@pytest.mark.parametrize(("given", "expected"), STANDING_CASES)
def test_where_a_project_stands(given, expected):
    values = {"progress": None, "planned": None, "planned_finish": None, "actual_finish": None,
              "any_activity_overdue": False, "day": STANDING_DAY, **given}
    assert progress.standing(**values) == expected


def test_a_delay_needs_its_reason():
    assert progress.delay_refusal(D(30), D(40), "") is not None
    assert "40.00" in progress.delay_refusal(D(30), D(40), "  ")
    assert progress.delay_refusal(D(30), D(40), "ผู้รับจ้างส่งงานช้า") is None
    assert progress.delay_refusal(D(50), D(40), "") is None
    assert progress.delay_refusal(D(0), None, "") is None


def test_the_soft_warnings_of_an_update():
    base = {"progress": D(50), "previous_progress": D(40), "disbursed": D(100), "allocated": D(1000),
            "actual_finish": None}
    assert progress.warnings(**base) == []
    assert progress.warnings(**{**base, "progress": D(30)}) == [progress.PROGRESS_DOWN]
    assert progress.warnings(**{**base, "disbursed": D("1000.01")}) == [progress.OVER_BUDGET]
    assert progress.warnings(**{**base, "progress": D(100)}) == [progress.DONE_WITHOUT_FINISH]
    assert progress.warnings(**{**base, "progress": D(100), "actual_finish": DAY(2025, 1, 1)}) == []
    assert progress.budget_used_percent(D(250), D(1000)) == D("25.00")
    assert progress.budget_used_percent(D(250), None) is None
