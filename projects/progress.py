"""The rules of a project's progress, plain functions on loaded objects:
the weights of its activities, its progress (the weighted sum), the plan's
progress on a day, an overdue activity, the project's standing, the soft
warnings of an update and when a delay needs its reason."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _percent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weights_refusal(weights: Iterable[Decimal | None]) -> str | None:
    """Why these activity weights are refused (a Thai message), or None: a
    project's activities share the whole, so their weights total 100."""
    given = [Decimal(weight) for weight in weights if weight is not None]
    if not given:
        return None
    total = sum(given, Decimal(0))
    if total != HUNDRED:
        return _("น้ำหนักของกิจกรรมทั้งหมดรวมกันต้องเท่ากับ 100 (ขณะนี้รวมได้ %(total)s)") % {
            "total": f"{total.normalize():f}"}
    return None


def weighted_progress(parts: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The project's progress from its activities' (weight, percent): the
    weighted sum, an activity with no percent yet counting 0. None without
    activities (the progress is then typed)."""
    parts = list(parts)
    if not parts:
        return None
    total = sum((Decimal(weight) * Decimal(percent or 0) for weight, percent in parts), Decimal(0))
    return _percent(total / HUNDRED)


def planned_fraction(start: datetime.date | None, finish: datetime.date | None, day: datetime.date) -> Decimal | None:
    """How much of a span the plan expects done on `day`, 0 to 100, straight
    between its start and its finish; None without both dates."""
    if start is None or finish is None:
        return None
    if day < start:
        return Decimal(0)
    if day >= finish:
        return HUNDRED
    return _percent(HUNDRED * Decimal((day - start).days) / Decimal((finish - start).days))


@dataclass(frozen=True)
class Activity:
    """What the rules need of a milestone (models.Milestone or a row of the import)."""

    weight: Decimal
    planned_start: datetime.date | None
    planned_finish: datetime.date | None


def planned_progress(activities: Sequence[Activity], start: datetime.date | None, finish: datetime.date | None,
                     day: datetime.date) -> Decimal | None:
    """The progress the plan expects on `day`: the weighted sum of each
    activity's planned share, or the project's own span without activities.
    None when the plan has no dates to say it."""
    if not activities:
        return planned_fraction(start, finish, day)
    parts = [(activity.weight, planned_fraction(activity.planned_start, activity.planned_finish, day))
             for activity in activities]
    if all(fraction is None for _weight, fraction in parts):
        return None
    return weighted_progress(parts)


def is_overdue(planned_finish: datetime.date | None, percent: Decimal | None, day: datetime.date) -> bool:
    """An activity (or project) past its planned finish and not complete."""
    return planned_finish is not None and planned_finish < day and (percent or 0) < HUNDRED


class Standing(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("ยังไม่เริ่ม")
    ON_PLAN = "on_plan", gettext_lazy("เป็นไปตามแผน")
    BEHIND = "behind", gettext_lazy("ล่าช้ากว่าแผน")
    OVERDUE = "overdue", gettext_lazy("เกินกำหนด")
    FINISHED = "finished", gettext_lazy("เสร็จสิ้น")


def standing(*, progress: Decimal | None, planned: Decimal | None, planned_finish: datetime.date | None,
             actual_finish: datetime.date | None, any_activity_overdue: bool, day: datetime.date) -> Standing:
    """Where a project stands on `day` from its latest reported progress:
    finished (100 % or an actual finish), overdue (past its planned finish,
    or an activity past its own, and not complete), behind plan (below what
    the plan expects), not started (nothing reported, or 0 while the plan
    expects nothing yet), else on plan."""
    if actual_finish is not None or (progress is not None and progress >= HUNDRED):
        return Standing.FINISHED
    if is_overdue(planned_finish, progress, day) or any_activity_overdue:
        return Standing.OVERDUE
    if planned is not None and (progress or 0) < planned:
        return Standing.BEHIND
    if not progress:
        return Standing.NOT_STARTED
    return Standing.ON_PLAN


def is_behind(progress: Decimal | None, planned: Decimal | None) -> bool:
    return planned is not None and (progress or 0) < planned


def delay_refusal(progress: Decimal | None, planned: Decimal | None, delay_reason: str) -> str | None:
    """A delay needs its reason: behind the plan and no reason given."""
    if is_behind(progress, planned) and not delay_reason.strip():
        return _("ความคืบหน้าต่ำกว่าแผน (แผนกำหนดไว้ร้อยละ %(planned)s) กรุณาระบุเหตุผลที่ล่าช้ากว่าแผน") % {
            "planned": f"{planned:.2f}"}
    return None


# The soft warnings of an update: confirmed by the reporter, shown to the evaluator.
PROGRESS_DOWN = "progress_down"
OVER_BUDGET = "over_budget"
DONE_WITHOUT_FINISH = "done_without_finish"
WARNING_TEXT = {
    PROGRESS_DOWN: gettext_lazy("ความคืบหน้าลดลงจากไตรมาสก่อน"),
    OVER_BUDGET: gettext_lazy("เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ"),
    DONE_WITHOUT_FINISH: gettext_lazy("ความคืบหน้าครบร้อยละ 100 แต่ยังไม่ได้ระบุวันสิ้นสุดจริง"),
}


def warnings(*, progress: Decimal | None, previous_progress: Decimal | None, disbursed: Decimal | None,
             allocated: Decimal | None, actual_finish: datetime.date | None) -> list[str]:
    """The codes of what looks wrong in an update, in a fixed order."""
    found = []
    if progress is not None and previous_progress is not None and progress < previous_progress:
        found.append(PROGRESS_DOWN)
    if disbursed is not None and allocated is not None and disbursed > allocated:
        found.append(OVER_BUDGET)
    if progress is not None and progress >= HUNDRED and actual_finish is None:
        found.append(DONE_WITHOUT_FINISH)
    return found


def budget_used_percent(disbursed: Decimal | None, allocated: Decimal | None) -> Decimal | None:
    if disbursed is None or not allocated:
        return None
    return _percent(HUNDRED * Decimal(disbursed) / Decimal(allocated))
