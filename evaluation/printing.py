"""An agency's scorecard as PDF, with the machinery of the printed sheets
(reports/printing.py): the same print stylesheet, fonts and footer."""

import io

import pikepdf
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports import printing

SCORECARD_TEMPLATE = "evaluation/scorecard/print.html"


def render_scorecard_pdf(card, fiscal_year, stamp):
    """An agency's scorecard (scorecards.Scorecard) as an A4 PDF in
    the sheets' style, with the same footer: who printed it, "หน้า x จาก y"."""
    html = render_to_string(SCORECARD_TEMPLATE, {
        "card": card, "fiscal_year": fiscal_year, "scheme_label": fiscal_year.get_scoring_scheme_display(),
        "links": False, **printing.print_context(),
    })
    title = _("ผลการประเมิน %(agency)s ปีงบประมาณ %(year)s") % {"agency": card.agency.name, "year": fiscal_year.year}
    with pikepdf.open(io.BytesIO(printing.html_to_pdf(html))) as pdf:
        return printing.finish(pdf, stamp, title, book=False)
