"""The dashboard's numbers for a fiscal year and quarter: indicators by status,
per strategy dimension and per agency (a fixed three queries: the year's
status counts, then the names of the dimensions and agencies)."""

from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.selectors import browse as selectors_browse
from indicators.models import Agency, StrategyNode

from .bar_charts import Bar, Segment, stacked_bars

STATUS_ORDER = selectors_browse.STATUSES


def list_url(base=None, **params):
    return f"{base or reverse('home')}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def count_statuses(queryset, quarter):
    """Indicators by status as the public site shows them (indicators/
    public.py; they are not stored): in all, per strategy dimension and per
    agency. An indicator under two dimensions counts once in each, and once
    in the totals. One query of (indicator, agency, dimension, status) rows,
    counted here. Staff pages count the stored statuses instead
    (status_counts.by_status), in the same shape."""
    return _count_public_statuses(queryset, quarter)


def _count_public_statuses(queryset, quarter):
    rows = (
        selectors_browse.with_dimension(queryset, "dimension").with_status(quarter, name="st", public=True)
        .order_by().values_list("pk", "owner_id", "dimension", "st")
    )
    status_of, by_dimension, by_agency = {}, defaultdict(set), defaultdict(set)
    for pk, owner_id, dimension, status in rows:
        status_of[pk] = status
        by_dimension[dimension, status].add(pk)
        by_agency[owner_id, status].add(pk)

    def table(pairs):
        result = defaultdict(lambda: dict.fromkeys(STATUS_ORDER, 0))
        for (key, status), pks in pairs.items():
            result[key][status] = len(pks)
        return result

    totals = dict.fromkeys(STATUS_ORDER, 0)
    for status in status_of.values():
        totals[status] += 1
    return totals, table(by_dimension), table(by_agency)


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
