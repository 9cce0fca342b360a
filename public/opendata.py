"""Open data: a published fiscal year's public data as CSV (UTF-8 with a
BOM, so Excel reads the Thai) and JSON, and the data dictionary that
describes every column. The columns are defined once here; the CSV writes
them, the dictionary page lists them, and a test checks the two agree.

The files hold what the public site shows: public indicators only, and of
each quarter the figures the evaluator accepted (indicators/public.py);
narratives are on each indicator's page and in the API, not in the files."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.utils.encoders import JSONEncoder

from indicators.models import QUARTERS, FiscalYear, Indicator
from reports import csv_files

from . import records, selectors

TEXT = _("ข้อความ")
INTEGER = _("จำนวนเต็ม")
DECIMAL = _("ตัวเลขทศนิยม (จุดทศนิยม ไม่มีจุลภาค)")
CODE = _("รหัส")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Any
    meaning: Any
    read: Callable[[dict[str, Any]], Any]


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record[name]


def _quarter(number: int, name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record["quarters"][number - 1][name]


INDICATOR_COLUMNS = [
    Column("year", INTEGER, _("ปีงบประมาณ (พ.ศ.)"), _field("year")),
    Column("code", CODE, _("รหัสตัวชี้วัด (ไม่ซ้ำกันภายในปีงบประมาณ)"), _field("code")),
    Column("name", TEXT, _("ชื่อตัวชี้วัด"), _field("name")),
    Column("agency_code", CODE, _("รหัสหน่วยงานเจ้าของตัวชี้วัด"), _field("agency_code")),
    Column("agency_name", TEXT, _("ชื่อหน่วยงานเจ้าของตัวชี้วัด"), _field("agency_name")),
    Column("agency_short_name", TEXT, _("ชื่อย่อหน่วยงาน"), _field("agency_short_name")),
    Column("district_group", CODE, _("รหัสกลุ่มเขตของสำนักงานเขต (ว่างสำหรับสำนัก)"), _field("district_group")),
    Column("district_group_name", TEXT, _("ชื่อกลุ่มเขต"), _field("district_group_name")),
    Column("category", TEXT, _("ประเภทตัวชี้วัด"), _field("category")),
    Column("result_chain_level", TEXT, _("ระดับของตัวชี้วัด"), _field("result_chain_level")),
    Column("unit", TEXT, _("หน่วยนับของค่าเป้าหมายและผลงาน"), _field("unit")),
    Column("annual_target", DECIMAL, _("ค่าเป้าหมายทั้งปี"), _field("annual_target")),
    Column("weight", DECIMAL, _("น้ำหนักของตัวชี้วัดในคะแนนของหน่วยงาน"), _field("weight")),
    Column("aggregation", CODE, _("วิธีรวมผลรายไตรมาสเป็นผลทั้งปี: cumulative (ผลสะสม ค่าล่าสุด), sum (ผลรวม), "
                                 "average (ค่าเฉลี่ย), latest (ค่าล่าสุด)"), _field("aggregation")),
    Column("direction", CODE, _("ทิศทาง: higher (ยิ่งมากยิ่งดี) หรือ lower (ยิ่งน้อยยิ่งดี)"), _field("direction")),
    Column("decimal_places", INTEGER, _("จำนวนตำแหน่งทศนิยมที่ใช้แสดงค่าเป้าหมายและผลงาน"), _field("decimal_places")),
    Column("strategy", CODE, _("รหัสแผนยุทธศาสตร์ที่ตัวชี้วัดสนับสนุน คั่นด้วย ; (ดูชื่อได้ที่ API /api/v1/strategy/)"),
           lambda record: ";".join(record["strategy"])),
    Column("achieved", DECIMAL, _("ผลงานที่ทำได้ ณ ไตรมาสล่าสุดที่ตรวจรับแล้ว (ว่าง = รอการประเมิน)"),
           _field("achieved")),
    Column("achieved_quarter", INTEGER, _("ไตรมาสที่ผลงานที่ทำได้อ้างอิง (ว่าง = ยังไม่มีไตรมาสที่ตรวจรับแล้ว)"),
           _field("achieved_quarter")),
    Column("year_status", CODE,
           _("สถานะทั้งปี: met (บรรลุเป้าหมาย), not_met (ไม่บรรลุเป้าหมาย), pending (รอการประเมิน)"),
           _field("status")),
]

QUARTER_FIELDS = [
    ("target", DECIMAL, _("ค่าเป้าหมายของไตรมาสที่ %(n)s (ค่าเป้าหมายรายไตรมาส หรือค่าเป้าหมายทั้งปี)")),
    ("value", DECIMAL, _("ผลงานของไตรมาสที่ %(n)s ที่ผู้ตรวจประเมินตรวจรับแล้ว (ว่าง = รอการประเมิน)")),
    ("value_to_date", DECIMAL,
     _("ผลงานถึงไตรมาสที่ %(n)s ตามวิธีรวมผล ซึ่งใช้เทียบกับค่าเป้าหมาย (ว่าง = รอการประเมิน)")),
    ("achievement", DECIMAL, _("ร้อยละความสำเร็จของไตรมาสที่ %(n)s (0-100) (ว่าง = รอการประเมิน)")),
    ("score_self", DECIMAL, _("คะแนน 2.1 ของไตรมาสที่ %(n)s (ว่าง = รอการประเมิน)")),
    ("score_confirmed", DECIMAL, _("คะแนน 2.2 ของไตรมาสที่ %(n)s ที่ผู้ตรวจประเมินให้ (ว่าง = รอการประเมิน)")),
    ("status", CODE, _("สถานะของไตรมาสที่ %(n)s: accepted (ตรวจรับแล้ว) หรือ pending (รอการประเมิน)")),
]


class _Meaning:
    """A quarter column's meaning, its number filled in when shown (lazy, so
    the language is the page's)."""

    def __init__(self, template: Any, number: int):
        self.template, self.number = template, number

    def __str__(self) -> str:
        return str(self.template) % {"n": self.number}


COLUMNS = INDICATOR_COLUMNS + [
    Column(f"q{number}_{name}", kind, _Meaning(meaning, number), _quarter(number, name))
    for number in QUARTERS for name, kind, meaning in QUARTER_FIELDS
] + [
    Column("page_url", TEXT, _("ที่อยู่หน้าตัวชี้วัดบนเว็บไซต์สาธารณะ (ต่อท้ายชื่อโดเมนของเว็บไซต์)"),
           _field("page_url")),
]


# What records.indicator_record reads of an indicator, its year and agency.
RECORD_FIELDS = (
    "code", "name", "category", "result_chain_level", "unit", "annual_target", "weight", "aggregation",
    "direction", "decimal_places", "fiscal_year__year", "owner__code", "owner__name", "owner__short_name",
    "owner__district_group__code", "owner__district_group__name",
)


def year_records(fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """Every public indicator of the year as records.indicator_record, by
    code: three queries whatever their number."""
    indicators = (selectors.public_indicators().filter(fiscal_year=fiscal_year).order_by("code")
                  .only(*RECORD_FIELDS))
    rows = selectors.public_rows(indicators)
    codes = strategy_codes(indicators)
    return [records.indicator_record(records.public_subject(row), codes.get(row.indicator.pk, []), api=False)
            for row in rows]


def strategy_codes(indicators: Iterable[Indicator] | Any) -> dict[int, list[str]]:
    """{indicator id: its strategy node codes, sorted}, in one query (the
    indicators as a queryset, used as a subquery, or a list)."""
    through = Indicator.strategy_nodes.through.objects
    if hasattr(indicators, "query"):
        links = through.filter(indicator_id__in=indicators.order_by().values("pk"))
    else:
        links = through.filter(indicator_id__in=[indicator.pk for indicator in indicators])
    codes: dict[int, list[str]] = {}
    for indicator_id, code in links.order_by("strategynode__code").values_list("indicator_id", "strategynode__code"):
        codes.setdefault(indicator_id, []).append(code)
    return codes


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens the Thai correctly; the
    numbers as records hold them (records.number: no padding), the text
    never run as a formula (reports/csv_files, the rule of every CSV)."""
    return csv_files.csv_bytes([column.name for column in COLUMNS],
                               ([column.read(record) for column in COLUMNS] for record in rows))


def as_json(fiscal_year: FiscalYear, rows: list[dict[str, Any]]) -> bytes:
    document = {"fiscal_year": fiscal_year.year, "count": len(rows), "indicators": rows}
    return json.dumps(document, cls=JSONEncoder, ensure_ascii=False).encode("utf-8")
