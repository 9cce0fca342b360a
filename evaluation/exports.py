"""The ranking of agencies as CSV or XLSX, written by the exports' own
writers (reports/exports.py: numbers as numbers, formulas neutralised)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports import exports

from . import scorecards


def ranking_table(standings):
    """The ranking of agencies (scorecards.ranking), as shown:
    the card's counts in its words, and whether a rank is shared."""
    labels = scorecards.COUNT_LABELS
    headers = [
        pgettext("place in the ranking", "ลำดับ"), _("รหัสหน่วยงาน"), _("หน่วยงาน"), _("กลุ่มเขต"),
        _("จำนวนตัวชี้วัด"), *[str(labels[key]) for key in ("final", "provisional", "pending")],
        _("น้ำหนักรวม"), _("คะแนนรวมถ่วงน้ำหนัก"), _("สถานะ"), _("ลำดับเท่ากัน"),
    ]
    body = []
    for standing in standings:
        agency, summary = standing.agency, standing.summary
        body.append([
            exports.Number(standing.rank), agency.code, agency.name, str(agency.district_group or ""),
            exports.Number(summary.indicator_count), *[exports.Number(n) for _key, _label, n in summary.counts],
            exports.Number(summary.weight_sum, 2), exports.Number(summary.total, 4),
            _("ผลสุดท้าย") if summary.final else _("ผลชั่วคราว"), _("เท่ากัน") if standing.tied else "",
        ])
    return headers, body
