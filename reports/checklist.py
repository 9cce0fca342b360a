"""A quarter's evidence checklist: each of the indicator's data-source items
(indicators.DataSourceItem) with the files attached to it, or its waiver
(not applicable, with a reason), or nothing yet; and the files attached to
no item ("อื่น ๆ"). Built from rows already read, with no query of its own,
so the report form, the review page and the sheet each add a fixed number.

A submitted quarter with items missing keeps them on the result, in
QuarterResult.plausibility_flags (code MISSING_EVIDENCE), beside the
plausibility warnings, so the evaluator's queue and review page show it."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from indicators.models import DataSourceItem

from .models import ChecklistWaiver, Evidence

MISSING_EVIDENCE = "missing_evidence"


@dataclass
class ChecklistRow:
    item: DataSourceItem
    files: list[Evidence] = field(default_factory=list)
    waiver: ChecklistWaiver | None = None

    @property
    def missing(self) -> bool:
        return not self.files and self.waiver is None


@dataclass
class Checklist:
    rows: list[ChecklistRow]
    other_files: list[Evidence]

    @property
    def missing(self) -> list[DataSourceItem]:
        return [row.item for row in self.rows if row.missing]

    def __bool__(self) -> bool:
        return bool(self.rows or self.other_files)


def build_checklist(items: Iterable[DataSourceItem], evidence: Iterable[Evidence],
                    waivers: Iterable[ChecklistWaiver]) -> Checklist:
    """The checklist of one quarter from its items, its current evidence and
    its waivers (each already of that indicator and quarter)."""
    rows = {item.pk: ChecklistRow(item=item) for item in items}
    for waiver in waivers:
        if waiver.item_id in rows:
            rows[waiver.item_id].waiver = waiver
    other = []
    for evidence_file in evidence:
        row = rows.get(evidence_file.item_id) if evidence_file.item_id else None
        if row is None:
            other.append(evidence_file)
        else:
            row.files.append(evidence_file)
    return Checklist(rows=list(rows.values()), other_files=other)


def checklist_for(indicator_id: int, quarter: int, evidence: Iterable[Evidence]) -> Checklist:
    """Two queries: the indicator's items and the quarter's waivers."""
    return build_checklist(
        DataSourceItem.objects.filter(indicator_id=indicator_id).order_by("order", "id"),
        evidence,
        ChecklistWaiver.objects.filter(indicator_id=indicator_id, quarter=quarter),
    )


def quarter_checklist(indicator, quarter: int) -> Checklist | None:
    """The checklist of one quarter of an indicator loaded by
    sheet.with_sheet_relations (its items, results, evidence and waivers
    prefetched): no query. None for a quarter with nothing reported yet (no
    result, file or waiver), whose items are not missing, only not due."""
    evidence = [e for e in getattr(indicator, "active_evidence", ()) if e.quarter == quarter]
    waivers = [w for w in indicator.checklist_waivers.all() if w.quarter == quarter]
    reported = any(r.quarter == quarter and r.value is not None for r in indicator.quarter_results.all())
    if not (reported or evidence or waivers):
        return None
    return build_checklist(indicator.data_source_items.all(), evidence, waivers)


def missing_items(items: Iterable[DataSourceItem], covered_item_ids: Iterable[int | None],
                  waived_item_ids: Iterable[int]) -> list[DataSourceItem]:
    """The items with no file and no waiver."""
    covered = set(covered_item_ids) | set(waived_item_ids)
    return [item for item in items if item.pk not in covered]


def missing_flag(items: list[DataSourceItem]) -> dict[str, str]:
    """What a submitted quarter keeps of its missing items (a plausibility-
    style flag: {"code", "message"})."""
    names = "; ".join(item.text for item in items)
    return {"code": MISSING_EVIDENCE, "message": _("ส่งโดยยังไม่มีหลักฐาน: %(items)s") % {"items": names}}
