"""What the approver reads: the quarters awaiting their agencies' sign-off
(results and project updates, a fixed number of queries whatever their
number) and one quarter with what the approval page shows."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import F, QuerySet

from indicators.models import Agency, QuarterResult
from projects.models import ProjectEvidence, ProjectUpdate
from reports.models import Evidence, Narrative

INDICATORS, PROJECTS = "indicators", "projects"


def awaiting_results(agency_ids: Collection[int]) -> QuerySet[QuarterResult]:
    return (
        QuarterResult.objects.filter(status=QuarterResult.Status.AWAITING_APPROVAL,
                                     indicator__owner_id__in=list(agency_ids))
        .select_related("indicator", "indicator__owner", "indicator__fiscal_year", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def awaiting_updates(agency_ids: Collection[int]) -> QuerySet[ProjectUpdate]:
    return (
        ProjectUpdate.objects.filter(status=ProjectUpdate.Status.AWAITING_APPROVAL,
                                     project__owner_id__in=list(agency_ids))
        .select_related("project", "project__owner", "project__fiscal_year", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def agencies(agency_ids: Collection[int]) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=list(agency_ids)).order_by("code"))


def narratives_of(result: QuarterResult) -> list[Narrative]:
    """The whole-indicator part first, then the district groups' in order."""
    return list(
        Narrative.objects.filter(indicator_id=result.indicator_id, quarter=result.quarter)
        .select_related("district_group")
        .order_by(F("district_group__order").asc(nulls_first=True), "district_group__name")
    )


def evidence_of(result: QuarterResult) -> list[Evidence]:
    return list(Evidence.objects.filter(indicator_id=result.indicator_id, quarter=result.quarter,
                                        removed_at__isnull=True).select_related("uploaded_by"))


def update_evidence_of(update: ProjectUpdate) -> list[ProjectEvidence]:
    return list(ProjectEvidence.objects.filter(project_id=update.project_id, quarter=update.quarter,
                                               removed_at__isnull=True).select_related("uploaded_by"))
