"""Each indicator's statuses, kept on its row so that pages spanning a year
filter, count and sort by status with an indexed read instead of working out
every indicator's status on every request.

Indicator.status_q1..status_q4 (quarter 4 is the year) and
Indicator.achieved and Indicator.achievement are what selectors/browse.status_as_of and
rules.achieved_value and rules.achievement_percent say for the indicator's current results, and
Indicator.public_status_q1..q4 what public.status_at says of them as the
public sees them (accepted quarters only): the Python rules stay the single
definition, this module only stores their answer.

`refresh(ids)` is the one function that writes them. It is called in the
transaction of every write the statuses depend on: a QuarterResult or
Indicator saved or a result deleted (the signal handlers below, which cover
the report form, the evaluator's accept/score/return/reopen and the admin),
and explicitly by the bulk writers that bypass save() (the workbook import,
the year rollover, the generator). `differences()` compares the stored
values with the rules; `manage.py check_statuses [--repair]` reports and
repairs them."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import public, rules, status_counts
from .models import QUARTERS, Indicator, QuarterResult, StrategyNode
from .selectors import browse as selectors_browse

STATUS_FIELDS = {q: f"status_q{q}" for q in QUARTERS}
PUBLIC_STATUS_FIELDS = {q: f"public_status_q{q}" for q in QUARTERS}
# In Stored's order.
STORED_FIELDS = (*STATUS_FIELDS.values(), "achieved", "achievement", *PUBLIC_STATUS_FIELDS.values())
ACHIEVED_PLACES = Decimal("0.0001")
# Ids per query: keeps each IN list well below SQLite's parameter limit.
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Stored:
    """What is stored for one indicator."""

    status_q1: str
    status_q2: str
    status_q3: str
    status_q4: str
    achieved: Decimal | None
    achievement: Decimal | None
    public_status_q1: str
    public_status_q2: str
    public_status_q3: str
    public_status_q4: str


def compute(indicator: selectors_browse.RuleSubject, results: dict[int, Any]) -> Stored:
    """The stored values for an indicator and its {quarter: result}, by the
    rules. `results` must carry what public.public_results reads (status,
    value, target, scores): QuarterResults or selectors_browse.Results."""
    values = [getattr(results.get(q), "value", None) for q in QUARTERS]
    q1, q2, q3, q4 = (selectors_browse.status_as_of(indicator, results, q) for q in QUARTERS)
    masked = public.public_results(indicator.aggregation, results)
    p1, p2, p3, p4 = (public.status_at(indicator, masked, q) for q in QUARTERS)
    achieved = rules.achieved_value(values, indicator.aggregation)
    achievement = rules.achievement_percent(achieved, indicator.annual_target, indicator.direction)
    return Stored(q1, q2, q3, q4, achieved, achievement, p1, p2, p3, p4)


def normal(value: Decimal | None) -> Decimal | None:
    # The column has four decimals: stored already rounded (half up, as
    # the scores are), so neither database rounds it its own way.
    return None if value is None else Decimal(value).quantize(ACHIEVED_PLACES, rounding=ROUND_HALF_UP)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _stale(ids: Iterable[int], lock: bool = False) -> Iterator[tuple[Indicator, Stored, Stored]]:
    """(indicator, stored, by the rules) for those of these indicators whose
    stored values are not the rules': two queries per CHUNK ids. With
    `lock`, the indicators' rows are locked before their results are read:
    two transactions saving different quarters of one indicator then
    compute one after the other, the second seeing the first's result."""
    for chunk in _chunks(ids):
        queryset = Indicator.objects.filter(pk__in=chunk).order_by("pk").only(
            "annual_target", "aggregation", "direction", *STORED_FIELDS)
        indicators = list(queryset.select_for_update() if lock else queryset)
        _fields, results = selectors_browse.results_with_rule_fields(chunk)
        for indicator in indicators:
            stored = Stored(*(getattr(indicator, name) for name in STORED_FIELDS))
            wanted = compute(indicator, results.get(indicator.pk, {}))
            if _comparable(stored) != _comparable(wanted):
                yield indicator, stored, wanted


def _comparable(stored: Stored) -> tuple[Any, ...]:
    return (stored.status_q1, stored.status_q2, stored.status_q3, stored.status_q4, normal(stored.achieved),
            normal(stored.achievement),
            stored.public_status_q1, stored.public_status_q2, stored.public_status_q3, stored.public_status_q4)


def refresh(ids: Iterable[int], recount: bool = True) -> int:
    """Store the rules' statuses for these indicators; the number changed.
    Two queries per 2,000 indicators plus the writes of those that changed.
    `recount`: and recount their agencies' status counts (status_counts.py);
    bulk writers that recount whole years afterwards pass False."""
    ids = set(ids)
    changed = []
    with transaction.atomic():  # the writer's own transaction when it has one
        for indicator, _stored, wanted in _stale(ids, lock=True):
            for name in (*STATUS_FIELDS.values(), *PUBLIC_STATUS_FIELDS.values()):
                setattr(indicator, name, getattr(wanted, name))
            indicator.achieved = normal(wanted.achieved)
            indicator.achievement = normal(wanted.achievement)
            changed.append(indicator)
        # bulk_update: one UPDATE per batch, no save() (no history row, no
        # sheet version: the statuses are derived, the sheet shows the results).
        Indicator.objects.bulk_update(changed, STORED_FIELDS, batch_size=500)
        if recount and changed:
            status_counts.rebuild(status_counts.pairs_of(indicator.pk for indicator in changed))
    return len(changed)


def differences(indicators: QuerySet[Indicator] | None = None) -> list[tuple[Indicator, Stored, Stored]]:
    """(indicator, stored, by the rules) for each indicator whose stored
    values differ from the rules'."""
    queryset = Indicator.objects.all() if indicators is None else indicators
    return list(_stale(queryset.values_list("pk", flat=True)))


# --- every save() the statuses depend on ---------------------------------------

def _result_changed(sender: type[Model], instance: QuarterResult, **kwargs: Any) -> None:
    refresh([instance.indicator_id])


def _indicator_saving(sender: type[Model], instance: Indicator, raw: bool = False, **kwargs: Any) -> None:
    # Where it was counted before (its year and agency may change).
    if instance.pk is not None and not raw:
        setattr(instance, "_counted_in", status_counts.pairs_of([instance.pk]))


def _indicator_saved(sender: type[Model], instance: Indicator, created: bool, raw: bool = False,
                     **kwargs: Any) -> None:
    if raw:
        return
    # A new indicator has no results yet: the default statuses are right.
    if not created:
        refresh([instance.pk], recount=False)
    # Counted again where it is now and where it was (category, agency and
    # year are not statuses but are counted by).
    status_counts.rebuild(getattr(instance, "_counted_in", set()) | {(instance.fiscal_year_id, instance.owner_id)})


def _indicator_deleted(sender: type[Model], instance: Indicator, **kwargs: Any) -> None:
    status_counts.rebuild([(instance.fiscal_year_id, instance.owner_id)])


def _links_changed(sender: type[Model], instance: Model, action: str, reverse: bool,
                   pk_set: set[int] | None, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Indicator):
        status_counts.rebuild([(instance.fiscal_year_id, instance.owner_id)])
    elif pk_set:
        status_counts.rebuild(status_counts.pairs_of(pk_set))
    else:  # a node's links cleared: whichever indicators they were
        status_counts.rebuild_all()


def _node_saving(sender: type[Model], instance: StrategyNode, raw: bool = False, **kwargs: Any) -> None:
    # Whether it moves: only a new parent changes what is counted.
    if instance.pk is not None and not raw:
        before = StrategyNode.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        setattr(instance, "_moved", before != instance.parent_id)


def _plan_changed(sender: type[Model], instance: StrategyNode, created: bool = False, raw: bool = False,
                  **kwargs: Any) -> None:
    # A new node has no indicators yet, a new title changes no count; a node
    # moved or deleted changes the dimension of every indicator below it, in
    # any year (a rare change).
    if kwargs.get("signal") is post_delete or (not created and not raw and getattr(instance, "_moved", False)):
        status_counts.rebuild_all()


post_save.connect(_result_changed, sender=QuarterResult, dispatch_uid="stored-status-result-save")
post_delete.connect(_result_changed, sender=QuarterResult, dispatch_uid="stored-status-result-delete")
pre_save.connect(_indicator_saving, sender=Indicator, dispatch_uid="stored-status-indicator-saving")
post_save.connect(_indicator_saved, sender=Indicator, dispatch_uid="stored-status-indicator-save")
post_delete.connect(_indicator_deleted, sender=Indicator, dispatch_uid="stored-status-indicator-delete")
m2m_changed.connect(_links_changed, sender=Indicator.strategy_nodes.through, dispatch_uid="stored-status-links")
pre_save.connect(_node_saving, sender=StrategyNode, dispatch_uid="stored-status-plan-saving")
post_save.connect(_plan_changed, sender=StrategyNode, dispatch_uid="stored-status-plan-save")
post_delete.connect(_plan_changed, sender=StrategyNode, dispatch_uid="stored-status-plan-delete")
