"""The quarterly table's cells. Sixteen cells a row, fifty rows a page: as
template tags with filters they cost more than all the page's SQL, so they
are written here in one pass, with the kpi filters' formats (indicators/formats.py)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators import formats, rules

register = template.Library()


def _short_to_date_labels():
    """The quarterly table's narrow result cell names the value to date in
    one word; the legend above the table and screen readers get the full
    label ("ผลรวมถึงไตรมาสนี้")."""
    return {rules.SUM: pgettext("value to date, in a narrow cell", "สะสม"),
            rules.AVERAGE: pgettext("value to date, in a narrow cell", "เฉลี่ย")}


@register.simple_tag
def quarter_cells(row):
    """<td>s for each quarter: target, result, achievement %, 2.1 / 2.2.
    Not reported or not evaluated shows a dash titled "รอการประเมิน" or
    "ยังไม่รายงาน", never 0. A sum or an average shows under the quarter's
    own result the value to date its achievement is computed from, labelled
    as on the indicator's page ("ผลรวมถึงไตรมาสนี้ 85")."""
    places = row.indicator.decimal_places
    pending = f'<span class="pending" title="{escape(_("รอการประเมิน"))}">-</span>'
    missing = f'<span class="pending" title="{escape(_("ยังไม่รายงาน"))}">-</span>'
    short = _short_to_date_labels().get(row.indicator.aggregation, "")
    target_places = formats.shared_places((cell.target for cell in row.quarters), places)
    html = []
    for cell in row.quarters:
        if cell.value is None:
            value = missing
        else:
            value = formats.quantity(cell.value, places)
            if cell.to_date_label and cell.value_to_date is not None:
                label = escape(cell.to_date_label)
                value += (f'<small class="to-date" title="{label}"><span aria-hidden="true">{escape(short or label)}</span>'
                          f'<span class="visually-hidden">{label}</span> '
                          f'{formats.quantity(cell.value_to_date, places)}</small>')
        achievement = pending if cell.achievement is None else formats.percent(cell.achievement)
        scores = " / ".join(pending if s is None else formats.score(s) for s in (cell.score_self, cell.score_confirmed))
        html.append(
            f'<td class="num q-start">{formats.quantity(cell.target, target_places)}</td>'
            f'<td class="num">{value}</td><td class="num">{achievement}</td><td class="num scores">{scores}</td>'
        )
    return mark_safe("".join(html))
