"""The dashboard's numbers for a fiscal year and quarter: indicators by status,
per strategy dimension and per agency (a fixed three queries: the year's
status counts, then the names of the dimensions and agencies), and each
agency's project figures (project_section: four more, projects/figures.py's
three and the agencies' names)."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import public, status_counts, text
from indicators.models import FINAL_QUARTER, Agency, StrategyNode
from indicators.selectors import browse as selectors_browse
from projects import figures as project_figures

from .bar_charts import Bar, Segment, stacked_bars

STATUS_ORDER = selectors_browse.STATUSES
PUBLIC_STATUS_LABELS = {status: selectors_browse.STATUS_LABELS[status] for status in public.STATUSES}


def list_url(base=None, **params):
    return f"{base or reverse('home')}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def stored_public_status_counts(fiscal_year, quarter):
    """Indicators by status as the public site shows them (indicators/
    public.py): in all, per strategy dimension and per agency, of a
    published fiscal year (nothing for another). An indicator under two
    dimensions counts once in each, and once in the totals; those hidden
    from the public not at all. One query of the year's status counts
    (status_counts.public_by_status); staff pages read the same rows'
    staff columns (status_counts.by_status), in the same shape."""
    return status_counts.public_by_status(status_counts.published(fiscal_year), quarter)


def public_years_chart(fiscal_years):
    """The public home's figure: each published year's indicators by status
    as the public sees them (accepted results only), at the quarter being
    reported, each segment a link to the year's public list filtered to it.
    fiscal_years: from public/selectors.published_years_at_their_quarter
    (annotated with `reporting_quarter` and `public_<status>`)."""
    legend = [(status, str(PUBLIC_STATUS_LABELS[status])) for status in public.STATUSES]
    bars = []
    for fy in fiscal_years:
        quarter = fy.reporting_quarter
        base = reverse("public:list", args=[fy.year])
        label = (_("ปีงบประมาณ %(y)s (ทั้งปี)") if quarter == FINAL_QUARTER
                 else _("ปีงบประมาณ %(y)s (ไตรมาสที่ %(q)s)")) % {
            "y": text.fiscal_year_label(fy.year, get_language()), "q": quarter}
        bar = Bar(label=label, segments=[
            Segment(key=status, label=status_label, count=getattr(fy, f"public_{status}"),
                    href=list_url(base, quarter=quarter, status=status))
            for status, status_label in legend
        ])
        if bar.total:
            bars.append(bar)
    chart = stacked_bars(
        _("ตัวชี้วัดตามสถานะ แยกตามปีงบประมาณ"),
        _("จำนวนตัวชี้วัดของแต่ละปีงบประมาณที่เผยแพร่ แบ่งตามสถานะ ณ ไตรมาสล่าสุดที่เปิดรายงาน "
          "นับเฉพาะผลที่ผู้ตรวจประเมินตรวจรับแล้ว"),
        bars, legend, "chart-years",
    ) if bars else ""
    return {"legend": legend, "year_bars": bars, "year_chart": chart}


def _bars(counts, labels, link_params, year, quarter):
    base = reverse("home")
    bars = []
    for key, label in labels:
        if key not in counts:
            continue
        segments = [
            Segment(
                key=status,
                label=str(selectors_browse.STATUS_LABELS[status]),
                count=counts[key][status],
                href=list_url(base, year=year, quarter=quarter, status=status, **link_params(key)) if key else None,
            )
            for status in STATUS_ORDER
        ]
        bars.append(Bar(label=label, segments=segments))
    return bars


def dashboard(counts, year, quarter):
    """Everything the dashboard shows. counts: (totals, by dimension, by
    agency) of the visible indicators of the year (status_counts.by_status)."""
    legend = [(s, str(selectors_browse.STATUS_LABELS[s])) for s in STATUS_ORDER]
    totals, by_dimension, by_agency = counts

    dimensions = StrategyNode.objects.filter(pk__in=[k for k in by_dimension if k]).order_by("code")
    codes = {node.pk: node.code for node in dimensions}
    dimension_labels = [(node.pk, f"{node.code} {node.title}") for node in dimensions]
    if None in by_dimension:
        dimension_labels.append((None, _("ไม่ระบุด้านยุทธศาสตร์")))
    agencies = Agency.objects.filter(pk__in=list(by_agency)).order_by("kind", "code")
    agency_labels = [(agency.pk, agency.name) for agency in agencies]
    agency_codes = {agency.pk: agency.code for agency in agencies}

    dimension_bars = _bars(by_dimension, dimension_labels, lambda k: {"strategy": codes[k]}, year, quarter)
    agency_bars = _bars(by_agency, agency_labels, lambda k: {"agency": agency_codes[k]}, year, quarter)
    return {
        "legend": legend,
        "dimension_bars": dimension_bars,
        "agency_bars": agency_bars,
        "totals": [
            (status, selectors_browse.STATUS_LABELS[status], totals[status],
             list_url(year=year, quarter=quarter, status=status))
            for status in STATUS_ORDER
        ],
        "total": sum(totals.values()),
        "dimension_chart": stacked_bars(
            _("ตัวชี้วัดตามสถานะ แยกตามด้านยุทธศาสตร์"),
            _("จำนวนตัวชี้วัดในแต่ละด้านยุทธศาสตร์ แบ่งตามสถานะ ณ ไตรมาสที่ %(q)s ปีงบประมาณ %(y)s")
            % {"q": quarter, "y": year},
            dimension_bars, legend, "chart-dimension",
        ),
        "agency_chart": stacked_bars(
            _("ตัวชี้วัดตามสถานะ แยกตามหน่วยงาน"),
            _("จำนวนตัวชี้วัดของแต่ละหน่วยงาน แบ่งตามสถานะ ณ ไตรมาสที่ %(q)s ปีงบประมาณ %(y)s")
            % {"q": quarter, "y": year},
            agency_bars, legend, "chart-agency",
        ),
    }


@dataclass(frozen=True)
class ProjectRow:
    label: str
    figures: project_figures.ProjectFigures


def project_section(projects, fiscal_year, quarter: int, today: datetime.date) -> dict:
    """The dashboard's projects: per owner agency of these projects (the
    year's the user may see), on plan, behind (behind plan or overdue) and
    the budget disbursed, from the latest update reported up to `quarter`,
    judged on that quarter's last day (or today, if earlier)."""
    day = project_figures.figures_day(fiscal_year.ends_on, fiscal_year.quarter_period(quarter)[1], today)
    by_agency = project_figures.agency_figures(projects, day, quarter=quarter)
    agencies = Agency.objects.filter(pk__in=list(by_agency)).order_by("kind", "code").only("pk", "name")
    rows = [ProjectRow(agency.name, by_agency[agency.pk]) for agency in agencies]
    return {
        "project_rows": rows,
        "project_total": project_figures.total(by_agency.values()),
        "project_day": day,
    }
