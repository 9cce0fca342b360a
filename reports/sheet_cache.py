"""The indicator page's body, rendered once per version of what it shows.

Rendering the sheet (long narratives, the quarterly table, the chart) and
loading its rows cost most of the detail page's time. The body depends only
on the indicator's data, the language, the day (which quarters are due) and two facts about the viewer (may
they report on it, are they an evaluator), so it is cached under a key made
of those and Indicator.sheet_version. Every change to what the page shows
bumps that version (the signal handlers below), so a stale body is never
served: its key simply stops being asked for. Nothing has to be deleted,
which keeps several app servers with their own caches correct."""

from typing import Any

from django.core.cache import cache
from django.db.models import F, Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone, translation

from indicators import permissions
from indicators.models import Agency, DataSourceItem, DistrictGroup, FiscalYear, Indicator, QuarterResult, StrategyNode
from projects.models import Milestone, MilestoneProgress, Project, ProjectUpdate
from web import release

from .models import ChecklistWaiver, Evidence, Narrative

# Entries for versions no longer asked for expire on their own.
TIMEOUT_SECONDS = 24 * 60 * 60


def cache_key(indicator: Indicator, user: permissions.AnyUser) -> str:
    viewer = (
        "r" if permissions.can_report_on(user, indicator) else "-",
        "e" if permissions.is_evaluator(user) else "-",
        # Reads every agency's: the page lists other agencies' projects too.
        "a" if permissions.reads_everything(user) else "-",
    )
    language = translation.get_language() or ""
    # The release (a new one may draw the same data otherwise, web/release.py)
    # and the day: which quarters are due (their windows opened) changes with it.
    today = timezone.localdate().isoformat()
    return f"sheet:{release.fingerprint()}:{indicator.pk}:{indicator.sheet_version}:{language}:{today}:{''.join(viewer)}"


def get(key: str) -> str | None:
    return cache.get(key)


def put(key: str, html: str) -> None:
    cache.set(key, html, TIMEOUT_SECONDS)


def bump(indicators: QuerySet[Indicator]) -> None:
    """A new sheet version for these indicators."""
    indicators.update(sheet_version=F("sheet_version") + 1)


# --- what the page shows changed ---------------------------------------------

def _rows_of_indicator(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    bump(Indicator.objects.filter(pk=instance.indicator_id))


def _same_code_later(indicator_id: int) -> QuerySet[Indicator]:
    """The indicators whose page shows this one in its trend across years
    (indicators/selectors/trend.py): the same code in later fiscal years. One UPDATE,
    the code and year read by subqueries."""
    this = Indicator.objects.filter(pk=indicator_id)
    return Indicator.objects.filter(
        code__in=this.values("code"), fiscal_year__year__gt=this.values("fiscal_year__year")[:1],
    )


def _results_of_same_code(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    bump(_same_code_later(instance.indicator_id))


@receiver(post_save, sender=Indicator, dispatch_uid="sheet-same-code-indicator")
def _indicator_saved(sender: type[Model], instance: Indicator, **kwargs: Any) -> None:
    bump(_same_code_later(instance.pk))


for model in (QuarterResult, Narrative, Evidence, ChecklistWaiver, DataSourceItem):
    post_save.connect(_rows_of_indicator, sender=model, dispatch_uid=f"sheet-{model.__name__}-save")
    post_delete.connect(_rows_of_indicator, sender=model, dispatch_uid=f"sheet-{model.__name__}-delete")
post_save.connect(_results_of_same_code, sender=QuarterResult, dispatch_uid="sheet-QuarterResult-trend-save")
post_delete.connect(_results_of_same_code, sender=QuarterResult, dispatch_uid="sheet-QuarterResult-trend-delete")


@receiver(m2m_changed, sender=Indicator.strategy_nodes.through, dispatch_uid="sheet-strategy-links")
def _strategy_links_changed(sender: type[Model], instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        if isinstance(instance, Indicator):
            bump(Indicator.objects.filter(pk=instance.pk))
        else:  # changed from the node's side
            bump(Indicator.objects.filter(strategy_nodes=instance))


@receiver(post_save, sender=StrategyNode, dispatch_uid="sheet-strategy-node")
def _strategy_node_saved(sender: type[Model], instance: StrategyNode, **kwargs: Any) -> None:
    # Its title shows in the chain of every indicator below it.
    bump(Indicator.objects.under_node(instance))


@receiver(post_save, sender=Agency, dispatch_uid="sheet-agency")
def _agency_saved(sender: type[Model], instance: Agency, **kwargs: Any) -> None:
    bump(Indicator.objects.filter(owner=instance))


@receiver(post_save, sender=DistrictGroup, dispatch_uid="sheet-district-group")
def _district_group_saved(sender: type[Model], instance: DistrictGroup, **kwargs: Any) -> None:
    bump(Indicator.objects.filter(narratives__district_group=instance))
    # The public list, open data and API name each indicator's agency's group.
    bump(Indicator.objects.filter(owner__district_group=instance))


@receiver(post_delete, sender=Indicator, dispatch_uid="sheet-same-code-indicator-deleted")
def _indicator_deleted(sender: type[Model], instance: Indicator, **kwargs: Any) -> None:
    year = FiscalYear.objects.filter(pk=instance.fiscal_year_id).values("year")[:1]
    bump(Indicator.objects.filter(code=instance.code, fiscal_year__year__gt=year))


@receiver(post_save, sender=FiscalYear, dispatch_uid="sheet-fiscal-year")
def _fiscal_year_saved(sender: type[Model], instance: FiscalYear, **kwargs: Any) -> None:
    # Its scoring settings decide the level shown beside the criteria.
    bump(Indicator.objects.filter(fiscal_year=instance))


# --- the projects an indicator's page lists ----------------------------------
# Its page shows each linked project's progress and standing (projects/
# selectors.projects_of_indicator): a change to a project, its activities, its
# updates or their activity percents, or to the links, bumps the linked indicators.

def _indicators_of_project(project_id: int | None) -> QuerySet[Indicator]:
    return Indicator.objects.filter(projects=project_id)


def _project_changed(sender: type[Model], instance: Project, **kwargs: Any) -> None:
    bump(_indicators_of_project(instance.pk))


def _project_rows_changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    bump(_indicators_of_project(instance.project_id))


def _milestone_progress_changed(sender: type[Model], instance: MilestoneProgress, **kwargs: Any) -> None:
    bump(Indicator.objects.filter(projects__updates=instance.update_id))


post_save.connect(_project_changed, sender=Project, dispatch_uid="sheet-Project-save")
# Before the delete: afterwards its links to the indicators are gone.
pre_delete.connect(_project_changed, sender=Project, dispatch_uid="sheet-Project-delete")
for model in (Milestone, ProjectUpdate):
    post_save.connect(_project_rows_changed, sender=model, dispatch_uid=f"sheet-{model.__name__}-save")
    post_delete.connect(_project_rows_changed, sender=model, dispatch_uid=f"sheet-{model.__name__}-delete")
post_save.connect(_milestone_progress_changed, sender=MilestoneProgress, dispatch_uid="sheet-MilestoneProgress-save")
post_delete.connect(_milestone_progress_changed, sender=MilestoneProgress,
                    dispatch_uid="sheet-MilestoneProgress-delete")


@receiver(m2m_changed, sender=Project.indicators.through, dispatch_uid="sheet-project-indicator-links")
def _project_links_changed(sender: type[Model], instance: Any, action: str, pk_set: set[int] | None,
                           **kwargs: Any) -> None:
    if action == "pre_clear" and isinstance(instance, Project):
        # A clear does not name what it removes: bump them while linked.
        bump(_indicators_of_project(instance.pk))
    elif action in ("post_add", "post_remove"):
        if isinstance(instance, Project):
            bump(Indicator.objects.filter(pk__in=pk_set or ()))
        else:  # changed from the indicator's side
            bump(Indicator.objects.filter(pk=instance.pk))
    elif action == "post_clear" and isinstance(instance, Indicator):
        bump(Indicator.objects.filter(pk=instance.pk))
