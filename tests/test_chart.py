"""The chart of each quarter's result against its target (server-side SVG)."""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from reports.charts import PLOT_BOTTOM, PLOT_TOP, axis_range, nice_step, quarter_chart

from .factories import IndicatorFactory, QuarterResultFactory
from .pytest_fixtures import SEED_URL


@dataclass
class Row:
    number: int
    target: Decimal | None
    value: Decimal | None


def rows(*pairs):
    return [Row(n, None if t is None else Decimal(t), None if v is None else Decimal(v))
            for n, (t, v) in enumerate(pairs, start=1)]


@pytest.mark.parametrize(
    "span, step", [(70, 20), (100, 20), (6, 2), (1, 0.2), (0.3, 0.1), (1234, 250), (12.5, 2.5)]
)
def test_nice_step(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_axis_always_includes_zero_and_the_largest_value():
    assert axis_range([Decimal("6"), Decimal("70")]) == (0, 80, 20)
    # Room above the top bar for its label: 80 does not end at the top tick.
    assert axis_range([Decimal("12"), Decimal("80")])[1] == 100
    low, high, step = axis_range([Decimal("-15"), Decimal("40")])
    assert low <= -15 and high >= 40 and low % step == 0
    low, high, step = axis_range([None, None])  # nothing reported: a plain 0..1 axis
    assert low == 0 and 1 <= high <= 1.5


def test_bar_heights_are_proportional_to_values():
    chart = quarter_chart(rows(("6", "20"), ("6", "70")))
    q1, q2 = chart.quarters
    assert q2.result.height == pytest.approx(q1.result.height * 70 / 20, rel=1e-3)
    assert q1.target.height == pytest.approx(q1.result.height * 6 / 20, rel=1e-3)
    # Bars stand on the zero line; the top tick (80) is the plot's top.
    assert q1.result.y + q1.result.height == pytest.approx(chart.baseline_y)
    assert chart.baseline_y == PLOT_BOTTOM
    assert chart.ticks[-1].y == PLOT_TOP and chart.ticks[-1].label == "80"
    # The target bar sits left of the result bar in each quarter.
    assert q1.target.x + q1.target.width < q1.result.x


def test_unreported_quarter_has_no_result_bar():
    chart = quarter_chart(rows(("6", "20"), ("6", None)))
    assert chart.quarters[0].reported
    assert chart.quarters[1].result is None and chart.quarters[1].target is not None


def test_labels_use_the_indicator_decimal_places():
    chart = quarter_chart(rows(("80", "12.5")), decimal_places=2)
    assert chart.quarters[0].result.label == "12.50"
    assert chart.quarters[0].target.label == "80.00"


def test_negative_result_hangs_below_the_zero_line():
    chart = quarter_chart(rows(("10", "-5")))
    bar = chart.quarters[0].result
    assert bar.negative and bar.y == pytest.approx(chart.baseline_y)
    assert bar.label_y > bar.y + bar.height


def test_all_zero_values_draw_without_dividing_by_zero():
    chart = quarter_chart(rows(("0", "0"), ("0", None)))
    assert chart.quarters[0].result.height == 0


def seed_chart_svg(html):
    return html[html.index("<svg"):html.index("</svg>")]


def test_detail_page_shows_the_seed_chart(seed, manager_client):
    html = manager_client.get(SEED_URL).content.decode()
    svg = seed_chart_svg(html)
    assert "<script" not in svg
    assert 'role="img"' in svg
    results = re.findall(r'class="bar-result"[^>]*height="([\d.]+)"', svg)
    targets = re.findall(r'class="bar-target"[^>]*height="([\d.]+)"', svg)
    assert len(results) == 4 and len(targets) == 4
    heights = [float(h) for h in results]
    assert heights[0] == heights[1] and heights[2] == heights[3]
    assert heights[2] == pytest.approx(heights[0] * 70 / 20, rel=1e-3)
    # The text alternative reads the values.
    assert "ไตรมาสที่ 3: เป้าหมาย 6, ผลงาน 70" in svg
    # After the quarterly table, before the first narrative.
    assert html.index("quarter-table") < html.index("<svg") < html.index("รายงานผลฯ ไตรมาสที่ 1")


def test_chart_text_is_escaped(db, manager_client):
    indicator = IndicatorFactory(unit='<b>"ชิ้น"</b>')
    QuarterResultFactory(indicator=indicator, quarter=1)
    svg = seed_chart_svg(manager_client.get(indicator.get_absolute_url()).content.decode())
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_same_chart_on_page_and_in_pdf_html(seed, manager_client):
    from reports import printing
    from reports.sheet import build_sheet, with_sheet_relations

    page_svg = seed_chart_svg(manager_client.get(SEED_URL).content.decode())
    sheet = build_sheet(with_sheet_relations().get(fiscal_year__year=2563, code="2100-1037"))
    print_svg = seed_chart_svg(printing.sheet_html(sheet, printing.PrintStamp(by="x", at=None)))
    assert page_svg == print_svg
