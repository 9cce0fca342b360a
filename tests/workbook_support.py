"""Helpers for the workbook tests: export a year, edit cells the way a
person would in Excel, and snapshot what a workbook carries."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from indicators.models import STORED_STATUS_FIELDS, Agency, DistrictGroup, Indicator, QuarterResult, StrategyNode
from yearsetup.workbook import columns as spec
from yearsetup.workbook.export import export_workbook


def export_year(year):
    return export_workbook(Indicator.objects.filter(fiscal_year__year=year))


def column_letter(ws, header):
    for cell in ws[1]:
        if cell.value == str(header):
            return cell.column_letter
    raise KeyError(header)


def row_of(ws, code, header=None):
    """The row number whose code column holds `code`."""
    letter = column_letter(ws, header or spec.INDICATORS.by_key["code"].header)
    for cell in ws[letter][1:]:
        if cell.value == code:
            return cell.row
    raise KeyError(code)


def edit(content, sheet, edits):
    """The workbook with cells changed: edits maps (code, column key) or a
    cell name ("B7") to a new value; a value starting with "=" becomes a
    formula, as Excel stores one."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb[str(sheet.title)]
    for where, value in edits.items():
        if isinstance(where, tuple):
            code, key = where
            code_header = sheet.by_key["username" if sheet is spec.STAFF else "code"].header
            where = f"{column_letter(ws, sheet.by_key[key].header)}{row_of(ws, code, code_header)}"
        ws[where] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def append_rows(content, sheet, rows):
    """The workbook with rows added to a sheet: each a dict by column key."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb[str(sheet.title)]
    headers = [cell.value for cell in ws[1]]
    keys = {str(c.header): c.key for c in sheet.columns}
    for row in rows:
        ws.append([row.get(keys.get(h)) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(value):
    return value.normalize() if isinstance(value, Decimal) else value


def snapshot(year):
    """Everything the workbook carries for a year, by code."""
    # The stored statuses follow the results, which the workbook does not carry.
    skip = {"id", "fiscal_year", "owner", "sheet_version", *STORED_STATUS_FIELDS}
    indicators = {}
    for indicator in Indicator.objects.filter(fiscal_year__year=year).select_related("owner"):
        row = {f.name: _plain(getattr(indicator, f.name)) for f in Indicator._meta.concrete_fields
               if f.name not in skip}
        row["owner"] = indicator.owner.code
        row["links"] = sorted(indicator.strategy_nodes.values_list("code", flat=True))
        row["milestones"] = {
            q: _plain(t) for q, t in QuarterResult.objects.filter(indicator=indicator, target__isnull=False)
            .values_list("quarter", "target")}
        indicators[indicator.code] = row
    return {
        "indicators": indicators,
        "agencies": {a.code: (a.name, a.short_name, a.kind, a.district_group.code if a.district_group else None)
                     for a in Agency.objects.select_related("district_group")},
        "groups": {g.code: (g.name, g.order) for g in DistrictGroup.objects.all()},
        "plan": {n.code: (n.level, n.title, n.parent.code if n.parent else None)
                 for n in StrategyNode.objects.select_related("parent")},
    }
