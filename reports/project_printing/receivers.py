"""A new sheet version for a project whenever what its sheet shows changes:
the project, its milestones, updates, milestone progress, evidence, its
districts and indicators (and the names of its agency and indicators).
Bumped with an F() update, so no history row is written and a copy loaded
before another change cannot bring an old version back.

The indicators a project supports list it with its progress on their own
sheets and pages: they get a new version too (Indicator.sheet_version).

Connected on import, by ReportsConfig.ready()."""

from typing import Any

from django.db.models import F, Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from indicators.models import Agency, Indicator
from projects.models import Milestone, MilestoneProgress, Project, ProjectEvidence, ProjectUpdate

from .. import sheet_cache


def bump(projects: QuerySet[Project]) -> None:
    projects.update(sheet_version=F("sheet_version") + 1)


def _bump_with_indicators(project_ids: QuerySet | list[int]) -> None:
    bump(Project.objects.filter(pk__in=project_ids))
    sheet_cache.bump(Indicator.objects.filter(projects__in=project_ids))


@receiver(pre_save, sender=Project, dispatch_uid="project-sheet-own-fields")
def _project_saving(sender: type[Model], instance: Project, **kwargs: Any) -> None:
    """Its own fields are on its sheet: the version saved is the one in the
    database plus one, whatever the copy being saved was loaded with."""
    if instance.pk is not None:
        current = Project.objects.filter(pk=instance.pk).values_list("sheet_version", flat=True).first()
        if current is not None:
            instance.sheet_version = current + 1


@receiver(post_save, sender=Project, dispatch_uid="project-sheet-listed-by-indicators")
def _project_saved(sender: type[Model], instance: Project, created: bool, **kwargs: Any) -> None:
    # Its code and name are on the sheets of the indicators it supports.
    if not created:
        sheet_cache.bump(Indicator.objects.filter(projects=instance))


def _rows_of_project(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    _bump_with_indicators([instance.project_id])


def _progress_of_update(sender: type[Model], instance: MilestoneProgress, **kwargs: Any) -> None:
    _bump_with_indicators(ProjectUpdate.objects.filter(pk=instance.update_id).values("project_id"))


for model in (Milestone, ProjectUpdate, ProjectEvidence):
    post_save.connect(_rows_of_project, sender=model, dispatch_uid=f"project-sheet-{model.__name__}-save")
    post_delete.connect(_rows_of_project, sender=model, dispatch_uid=f"project-sheet-{model.__name__}-delete")
post_save.connect(_progress_of_update, sender=MilestoneProgress, dispatch_uid="project-sheet-progress-save")
post_delete.connect(_progress_of_update, sender=MilestoneProgress, dispatch_uid="project-sheet-progress-delete")


@receiver(m2m_changed, sender=Project.indicators.through, dispatch_uid="project-sheet-indicator-links")
def _indicator_links_changed(sender: type[Model], instance: Any, action: str, pk_set: set | None = None,
                             **kwargs: Any) -> None:
    """Both sides print the link: the project its indicators, each indicator
    its projects. A clear names no one: those linked are bumped before it."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Project):
        bump(Project.objects.filter(pk=instance.pk))
        if action == "pre_clear":
            sheet_cache.bump(Indicator.objects.filter(projects=instance))
        elif pk_set:
            sheet_cache.bump(Indicator.objects.filter(pk__in=pk_set))
    else:  # changed from the indicator's side
        sheet_cache.bump(Indicator.objects.filter(pk=instance.pk))
        if action == "pre_clear":
            bump(Project.objects.filter(indicators=instance))
        elif pk_set:
            bump(Project.objects.filter(pk__in=pk_set))


@receiver(pre_delete, sender=Project, dispatch_uid="project-sheet-project-deleted")
def _project_deleting(sender: type[Model], instance: Project, **kwargs: Any) -> None:
    # Its links go without m2m_changed: the indicators listing it are told now.
    sheet_cache.bump(Indicator.objects.filter(projects=instance))


@receiver(pre_delete, sender=Indicator, dispatch_uid="project-sheet-indicator-deleted")
def _indicator_deleting(sender: type[Model], instance: Indicator, **kwargs: Any) -> None:
    bump(Project.objects.filter(indicators=instance))


@receiver(m2m_changed, sender=Project.districts.through, dispatch_uid="project-sheet-districts")
def _districts_changed(sender: type[Model], instance: Any, action: str, pk_set: set | None = None,
                       **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Project):
        bump(Project.objects.filter(pk=instance.pk))
    else:
        bump(Project.objects.filter(districts=instance))


@receiver(post_save, sender=Indicator, dispatch_uid="project-sheet-indicator-names")
def _indicator_saved(sender: type[Model], instance: Indicator, created: bool, **kwargs: Any) -> None:
    # The project's sheet names the indicators it supports.
    if not created:
        bump(Project.objects.filter(indicators=instance))


@receiver(post_save, sender=Agency, dispatch_uid="project-sheet-agency")
def _agency_saved(sender: type[Model], instance: Agency, created: bool, **kwargs: Any) -> None:
    if not created:
        bump(Project.objects.filter(owner=instance))
        bump(Project.objects.filter(districts=instance))
