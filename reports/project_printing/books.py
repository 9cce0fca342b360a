"""Projects in books: the sheets of each indicator's projects after its own
(BookFilterForm's with_projects), and the project book of one agency (the
"project_book" job). Both are joined by printing.render_entries_book, the
indicators' book machinery (contents, bookmarks, stamp, page numbers).

Only projects the book's owner may see go in (projects.permissions)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import Indicator
from projects.models import Project
from projects.permissions import visible_projects

from .. import printing
from ..forms import ProjectBookForm
from .pdfs import project_entry, project_sheets
from .sheet import with_project_sheet_relations

# As printing.MAX_BOOK_INDICATORS: beyond it, ask for a narrower choice.
MAX_BOOK_PROJECTS = 500


def supporting(user: permissions.AnyUser, indicators: Sequence[Indicator]) -> dict[int, list[Project]]:
    """{indicator pk: the projects supporting it that user may see, by code},
    loaded for their sheets, in a fixed number of queries."""
    pks = [indicator.pk for indicator in indicators]
    links = Project.indicators.through.objects.filter(indicator_id__in=pks).values_list("indicator_id", "project_id")
    by_indicator: dict[int, list[int]] = defaultdict(list)
    for indicator_id, project_id in links:
        by_indicator[indicator_id].append(project_id)
    if not by_indicator:
        return {}
    ids = {pk for project_ids in by_indicator.values() for pk in project_ids}
    projects = {project.pk: project for project in with_project_sheet_relations(
        visible_projects(user, Project.objects.filter(pk__in=ids)))}
    return {
        indicator_pk: sorted((projects[pk] for pk in project_ids if pk in projects), key=lambda p: p.code)
        for indicator_pk, project_ids in by_indicator.items()
    }


def unique_projects(by_indicator: dict[int, list[Project]]) -> list[Project]:
    """Each project once, by code (one may support several indicators)."""
    seen = {project.pk: project for projects in by_indicator.values() for project in projects}
    return sorted(seen.values(), key=lambda p: p.code)


def projects_after(user: permissions.AnyUser, indicators: Sequence[Indicator]) -> dict:
    """printing.render_book_pdf's `after`: {indicator pk: [(BookEntry, PDF)]}
    of its projects' sheets, from the sheet cache or laid out now."""
    by_indicator = supporting(user, indicators)
    projects = unique_projects(by_indicator)
    pdfs = dict(zip((p.pk for p in projects), project_sheets(projects), strict=True))
    return {
        indicator_pk: [(project_entry(project, level=2), pdfs[project.pk]) for project in found]
        for indicator_pk, found in by_indicator.items()
    }


@dataclass
class ProjectBookSelection:
    queryset: QuerySet[Project]
    title: str
    subtitle: str
    filename: str


def project_book_selection(user: permissions.AnyUser, form: ProjectBookForm) -> ProjectBookSelection:
    """What a valid ProjectBookForm asks: the year's projects of one agency,
    which user must be allowed to see; refused (printing.BookRefused) when
    not theirs, empty or too large. Checked by the view and again by the job."""
    year, agency = form.cleaned_data["year"], form.cleaned_data["agency"]
    if not permissions.can_view_agency(user, agency):
        raise printing.BookRefused(_("ท่านไม่มีสิทธิ์พิมพ์โครงการของหน่วยงานนี้"), 403)
    queryset = visible_projects(user, Project.objects.filter(fiscal_year=year, owner=agency))
    count = queryset.count()
    if count == 0:
        raise printing.BookRefused(_("หน่วยงานนี้ไม่มีโครงการในปีงบประมาณที่เลือก"), 404)
    if count > MAX_BOOK_PROJECTS:
        raise printing.BookRefused(_(
            "หน่วยงานนี้มีโครงการ %(n)s รายการ เกินกว่าที่พิมพ์รวมเล่มได้ครั้งละ %(max)s รายการ"
        ) % {"n": count, "max": MAX_BOOK_PROJECTS}, 400)
    name = f"{agency.name} ({agency.short_name})" if agency.short_name else agency.name
    return ProjectBookSelection(
        queryset=queryset,
        title=_("รายละเอียดโครงการ/กิจกรรม ปีงบประมาณ %(year)s") % {"year": year.year},
        subtitle=_("หน่วยงาน %(name)s") % {"name": name},
        filename=f"projects-{year.year}-{agency.code}.pdf",
    )


def book_projects(queryset: QuerySet[Project]) -> list[Project]:
    """A project book's projects loaded for their sheets, by code."""
    return list(with_project_sheet_relations(queryset).order_by("code"))


def render_project_book_pdf(projects: Sequence[Project], stamp: printing.PrintStamp, title: str,
                            subtitle: str = "") -> bytes:
    entries = [project_entry(project) for project in projects]
    return printing.render_entries_book(entries, project_sheets(projects), stamp, title, subtitle)


def book_entries(user: permissions.AnyUser, indicators: Sequence[Indicator], with_projects: bool) -> list:
    """The contents' rows of a book of indicators, in the order
    printing.render_book_pdf lays them (its projects after each indicator)."""
    by_indicator = supporting(user, indicators) if with_projects else {}
    entries = []
    for indicator in indicators:
        entries.append(printing.indicator_entry(indicator))
        entries.extend(project_entry(project, level=2) for project in by_indicator.get(indicator.pk, []))
    return entries
