"""The quarterly table's cells. Sixteen cells a row, fifty rows a page: as
template tags with filters they cost more than all the page's SQL, so they
are written here in one pass, with the same formats as the kpi filters."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators.text import format_number, format_score

register = template.Library()


@register.simple_tag
def quarter_cells(row):
    """<td>s for each quarter: target, result, achievement %, 2.1 / 2.2.
    Not reported or not evaluated shows a dash titled "รอการประเมิน" or
    "ยังไม่รายงาน", never 0."""
    places = row.indicator.decimal_places
    pending = f'<span class="pending" title="{escape(_("รอการประเมิน"))}">-</span>'
    missing = f'<span class="pending" title="{escape(_("ยังไม่รายงาน"))}">-</span>'
    html = []
    for cell in row.quarters:
        value = missing if cell.value is None else format_number(cell.value, places)
        achievement = pending if cell.achievement is None else format_number(cell.achievement, 2)
        scores = " / ".join(pending if s is None else format_score(s) for s in (cell.score_self, cell.score_confirmed))
        html.append(
            f'<td class="num q-start">{format_number(cell.target, places)}</td>'
            f'<td class="num">{value}</td><td class="num">{achievement}</td><td class="num">{scores}</td>'
        )
    return mark_safe("".join(html))
