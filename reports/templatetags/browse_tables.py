"""The quarterly table's cells. Sixteen cells a row, fifty rows a page: as
template tags with filters they cost more than all the page's SQL, so they
are written here in one pass, with the kpi filters' formats (indicators/formats.py)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators import formats

register = template.Library()


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
    html = []
    for cell in row.quarters:
        if cell.value is None:
            value = missing
        else:
            value = formats.quantity(cell.value, places)
            if cell.to_date_label and cell.value_to_date is not None:
                value += (f'<small class="to-date">{escape(cell.to_date_label)} '
                          f'<span class="text-nowrap">{formats.quantity(cell.value_to_date, places)}</span></small>')
        achievement = pending if cell.achievement is None else formats.percent(cell.achievement)
        scores = " / ".join(pending if s is None else formats.score(s) for s in (cell.score_self, cell.score_confirmed))
        html.append(
            f'<td class="num q-start">{formats.target(cell.target, places)}</td>'
            f'<td class="num">{value}</td><td class="num">{achievement}</td><td class="num scores">{scores}</td>'
        )
    return mark_safe("".join(html))
