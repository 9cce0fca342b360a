"""The filters of the indicator list, shared by the quarterly table, the
dashboard's links and the exports. Every filter is a GET parameter, so a
filtered view is a URL one can share."""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Left
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import rules, status_counts
from .models import FINAL_QUARTER, QUARTERS, STATUS_NOT_REPORTED, Agency, DistrictGroup, Indicator, StrategyNode
from .selectors import browse as selectors_browse
from .selectors import trend as selectors_trend

PAGE_SIZE = 50
INDENT = "\u00a0\u00a0"


class FastSelect(forms.Select):
    """A select that writes its options in Python. Django renders each option
    through a template, about 0.3 ms apiece; the strategy select alone has
    hundreds of options and would cost more than the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        options = []
        for value, label in self.choices:
            value = str(value)
            chosen = " selected" if value in selected else ""
            options.append(f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>')
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options)))


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        # Indented by level so the four-level tree reads as one in a select.
        title = node.title if len(node.title) <= 70 else node.title[:70] + "…"
        return f"{INDENT * (node.level - 1)}{node.code} {title}"


class NodeFilter(django_filters.ModelChoiceFilter):
    field_class = NodeChoiceField


def category_choices(year):
    """The categories in use in a year, from its status counts (a few
    hundred rows, not the year's indicators)."""
    return [(category, category) for category in status_counts.categories(year)]


QUARTER_CHOICES = [(q, _("ไตรมาสที่ %(n)s") % {"n": q}) for q in QUARTERS[:-1]] + [
    (4, _("ไตรมาสที่ 4 (ทั้งปี)"))
]


# The list's sort menu: (parameter, field, label ascending, label descending).
# Result, achievement and status sort on what stored_status.py keeps on each
# row (achieved, achievement, status_q1..q4), so the page costs the same
# queries whatever the order.
SORTS = (
    ("code", "code", _("รหัส (น้อยไปมาก)"), _("รหัส (มากไปน้อย)")),
    ("name", "name", _("ชื่อตัวชี้วัด (ก-ฮ)"), _("ชื่อตัวชี้วัด (ฮ-ก)")),
    ("agency", "owner__code", _("หน่วยงาน (ตามรหัส น้อยไปมาก)"), _("หน่วยงาน (ตามรหัส มากไปน้อย)")),
    ("target", "annual_target", _("ค่าเป้าหมาย (น้อยไปมาก)"), _("ค่าเป้าหมาย (มากไปน้อย)")),
    ("result", "achieved", _("ผลงานที่ทำได้ (น้อยไปมาก)"), _("ผลงานที่ทำได้ (มากไปน้อย)")),
    ("achievement", "achievement", _("ร้อยละความสำเร็จ (น้อยไปมาก)"), _("ร้อยละความสำเร็จ (มากไปน้อย)")),
    ("status", "status", _("สถานะ (บรรลุเป้าหมายก่อน)"), _("สถานะ (ยังไม่รายงานก่อน)")),
)
# Status order: the best first.
STATUS_ORDER = (rules.MET, rules.NOT_MET, rules.PENDING, STATUS_NOT_REPORTED)


class SortFilter(django_filters.OrderingFilter):
    """?sort=<parameter> or -<parameter> (SORTS), each direction labelled in
    Thai. Indicators without a result (or achievement) come last either way;
    the status is the stored one at the page's quarter (?quarter=)."""

    def __init__(self, *args, **kwargs):
        kwargs["fields"] = [(field, param) for param, field, _asc, _desc in SORTS]
        kwargs["choices"] = [choice for param, _field, asc, desc in SORTS
                             for choice in ((param, asc), (f"-{param}", desc))]
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        if name == "status":
            quarter = self.parent.status_quarter if self.parent is not None else FINAL_QUARTER
            rank = Case(*(When(**{f"status_q{quarter}": status}, then=Value(n))
                          for n, status in enumerate(STATUS_ORDER)),
                        default=Value(len(STATUS_ORDER)), output_field=IntegerField())
            return rank.desc() if descending else rank.asc()
        if name in ("achieved", "achievement"):
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        return f"-{name}" if descending else name


class IndicatorFilter(django_filters.FilterSet):
    # Choices come from the years the view has loaded (no query of its own).
    year = django_filters.TypedChoiceFilter(
        widget=FastSelect,
        label=_("ปีงบประมาณ"), field_name="fiscal_year__year", coerce=int, choices=[], empty_value=None,
        method="in_year",
    )
    q = django_filters.CharFilter(label=_("ค้นหา (รหัสหรือคำในชื่อ)"), method="search")
    agency = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("หน่วยงาน"), field_name="owner", queryset=Agency.objects.order_by("kind", "code"), to_field_name="code",
        empty_label=_("ทุกหน่วยงาน"),
    )
    group = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("กลุ่มเขต"), field_name="owner__district_group", to_field_name="code",
        queryset=DistrictGroup.objects.all(), empty_label=_("ทุกกลุ่มเขต"),
    )
    strategy = NodeFilter(
        widget=FastSelect,
        label=_("แผนยุทธศาสตร์ (ทุกระดับ)"), queryset=StrategyNode.objects.order_by("code"),
        to_field_name="code", method="supports_node", empty_label=_("ทุกด้าน"),
    )
    category = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("ประเภทตัวชี้วัด"), choices=[], empty_label=_("ทุกประเภท"),
    )
    status = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("สถานะ"), choices=selectors_browse.STATUS_CHOICES, method="has_status",
        empty_label=_("ทุกสถานะ"),
    )
    change = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("เทียบกับปีก่อน"), choices=[("declined", _("ผลลดลงจากปีก่อน"))], method="compared_with_last_year",
        empty_label=_("ทั้งหมด"),
    )
    quarter = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("สถานะ ณ"), choices=QUARTER_CHOICES, method="as_of_quarter", empty_label=None,
    )
    sort = SortFilter(widget=FastSelect, label=_("เรียงตาม"), empty_label=None)

    class Meta:
        model = Indicator
        fields = []

    def __init__(self, data=None, queryset=None, *, years=None, open_at_reporting_quarter=False, **kwargs):
        # No year in the URL means the latest year: the filter always has one.
        years = list(years or [])
        data = data.copy() if data is not None else {}
        if not data.get("year") and years:
            data["year"] = str(years[0].year)
        self.fiscal_years = {y.year: y for y in years}
        if not data.get("quarter"):
            # Quarter 4 (the year), or on the pages a person opens a year in
            # progress at the quarter being reported and a finished one at
            # the year (models.reporting_quarter). The API and the exports
            # keep 4: an answer that changes with the date is no default.
            chosen = self.fiscal_years.get(int(data["year"])) if str(data.get("year", "")).isdigit() else None
            quarter = getattr(chosen, "reporting_quarter", FINAL_QUARTER) if open_at_reporting_quarter else FINAL_QUARTER
            data["quarter"] = str(quarter)
        super().__init__(data, queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(y.year, str(y.year)) for y in years]
        year = str(self.data.get("year", ""))
        self.filters["category"].extra["choices"] = category_choices(int(year)) if year.isdigit() else []
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    @property
    def fiscal_year(self):
        """The chosen FiscalYear, or None (no years yet, or a bad value)."""
        if not self.form.is_valid():
            return None
        return self.fiscal_years.get(self.form.cleaned_data.get("year"))

    @property
    def status_quarter(self):
        quarter = getattr(self.form, "cleaned_data", {}).get("quarter")
        return int(quarter) if quarter else FINAL_QUARTER

    def in_year(self, queryset, name, value):
        # By the year's id, not a join on its number: the (fiscal year,
        # status) and (fiscal year, code) indexes then serve the counts and
        # the page's order directly.
        fiscal_year = self.fiscal_years.get(value)
        if fiscal_year is None:
            return queryset.filter(fiscal_year__year=value)
        return queryset.filter(fiscal_year_id=fiscal_year.pk)

    def search(self, queryset, name, value):
        # icontains is a substring match, so a Thai word inside a name (Thai
        # has no spaces between words) is found; on PostgreSQL the trigram
        # indexes of migration 0007 answer it.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def supports_node(self, queryset, name, node):
        return queryset.under_node(node)

    def has_status(self, queryset, name, value):
        annotated = queryset.with_status(self.status_quarter, name="status_filter")
        return annotated.filter(status_filter=value)

    def compared_with_last_year(self, queryset, name, value):
        # Achievement at the chosen quarter against the same code's a year
        # before, at the same quarter (selectors/trend.declined).
        year = self.form.cleaned_data.get("year")
        if value != "declined" or not year:
            return queryset
        return selectors_trend.declined(queryset, year, self.status_quarter)

    def as_of_quarter(self, queryset, name, value):
        return queryset  # read by the status filter and the page

    @property
    def qs(self):
        if not self.form.is_valid():
            # A value that is not one of the choices (an edited URL) shows
            # nothing, with the field's message, rather than everything.
            return self.queryset.none()
        queryset = super().qs
        # The code breaks ties, so pages never repeat or skip a row.
        return queryset.order_by(*(_by_name_key(field) for field in queryset.query.order_by), "code")


# A name sorts by its first characters, the expression PostgreSQL's index
# holds (migration 0009): a page sorted by name is then read in order from
# the index rather than by sorting the year. Names alike in all of them
# (none in practice) fall back on the code.
NAME_KEY_LENGTH = 300


def _by_name_key(field):
    if field in ("name", "-name"):
        key = Left("name", NAME_KEY_LENGTH)
        return key.desc() if field.startswith("-") else key.asc()
    return field


def filter_for(user, data, *, open_at_reporting_quarter=False):
    """(the list's FilterSet on what this user may see, the fiscal years) for
    query data: the list, table, dashboard, exports and export jobs all read
    the same filters, so they agree. `open_at_reporting_quarter`: without a
    ?quarter=, the year's reporting quarter rather than 4 (the pages)."""
    years = selectors_browse.fiscal_years()
    return IndicatorFilter(data, queryset=selectors_browse.visible(user), years=years,
                           open_at_reporting_quarter=open_at_reporting_quarter), years


# The filters the status counts (status_counts.py) can answer; any other (a
# search, a status, a strategy node, last year's comparison) needs the rows.
COUNTED_FILTERS = {"year", "agency", "group", "category", "quarter", "sort"}


def counted_scope(filterset, user):
    """The status counts of the same indicators as filterset.qs, or None when
    its filters go beyond what the counts are kept by."""
    fiscal_year = filterset.fiscal_year
    if fiscal_year is None:
        return None
    chosen = filterset.form.cleaned_data
    if any(chosen.get(name) not in (None, "", []) for name in chosen if name not in COUNTED_FILTERS):
        return None
    scope = status_counts.visible(user, fiscal_year)
    if chosen.get("agency"):
        scope = scope.filter(agency=chosen["agency"])
    if chosen.get("group"):
        scope = scope.filter(agency__district_group=chosen["group"])
    if chosen.get("category"):
        scope = scope.filter(category=chosen["category"])
    return scope
