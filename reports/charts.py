"""The chart of each quarter's result against its target, drawn on the
server as SVG so the page and the PDF show the same picture with no
JavaScript. This module computes the geometry (pure functions, no database);
templates/reports/_bar_chart.html draws it."""

import math
from dataclasses import dataclass
from decimal import Decimal

from indicators import formats
from indicators.quarter_rows import TO_DATE_LABELS
from indicators.text import format_number

WIDTH = 640
HEIGHT = 230
# Room for the value axis (left), the legend (top) and quarter labels (bottom).
PLOT_LEFT = 64
PLOT_RIGHT = WIDTH - 16
PLOT_TOP = 40
PLOT_BOTTOM = HEIGHT - 44
MAX_TICKS = 5
HEADROOM = 0.08


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    negative: bool = False

    @property
    def label_x(self):
        return round(self.x + self.width / 2, 2)

    @property
    def label_y(self):
        # Above a bar that rises from zero, below one that drops from it.
        return round(self.y + self.height + 13, 2) if self.negative else round(self.y - 4, 2)


@dataclass
class QuarterBars:
    number: int
    center_x: float
    target: Bar | None
    result: Bar | None

    @property
    def reported(self):
        return self.result is not None


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    quarters: list
    ticks: list
    baseline_y: float
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM
    unit: str = ""
    # The result bars' legend: "ผลงาน", or what a sum / average is judged by.
    result_label: str = ""
    # Said of a quarter without a bar: "" for "ยังไม่รายงาน" (the template's
    # own); the public page says "รอการประเมิน".
    missing_label: str = ""

    # Fixed positions the template needs, kept here so it does no arithmetic.
    @property
    def tick_label_x(self):
        return self.plot_left - 6

    @property
    def quarter_label_y(self):
        return self.plot_bottom + 22

    @property
    def missing_label_y(self):
        return round(self.baseline_y - 6, 2)

    @property
    def legend(self):
        x = self.plot_left
        return {"target_x": x, "target_text_x": x + 20, "result_x": x + 110, "result_text_x": x + 130}


def nice_step(span, max_ticks=MAX_TICKS):
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) that divides
    span into at most max_ticks intervals."""
    if span <= 0:
        return 1.0
    raw = span / max_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw * (1 - 1e-9):
            return step
    return 10 * magnitude  # pragma: no cover - the loop always returns


def step_places(step):
    """Decimals needed to print ticks of this step exactly (2.5 -> 1)."""
    places = 0
    while places < 4 and abs(step * 10**places - round(step * 10**places)) > 1e-9:
        places += 1
    return places


def axis_range(values):
    """Bounds of the value axis: always includes zero, rounded out to whole
    steps so the top tick is at or above the largest bar."""
    numbers = [float(v) for v in values if v is not None]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    if high == low:
        high = low + 1
    # Headroom for the value printed above (or below) the longest bar.
    span = high - low
    high += span * HEADROOM if high > 0 else 0
    low -= span * HEADROOM if low < 0 else 0
    step = nice_step(high - low)
    low = math.floor(low / step + 1e-9) * step
    high = math.ceil(high / step - 1e-9) * step
    return low, high, step


def _judged(row):
    """The value a quarter is judged by: its value to date (the sheet's
    QuarterRow), which for a sum or an average differs from its own."""
    return getattr(row, "value_to_date", row.value)


def quarter_chart(quarters, decimal_places=0, unit="", result_label=""):
    """Geometry for quarters: rows with .number, .target and .value (the
    sheet's QuarterRow, whose value to date is drawn: what the quarter is
    judged by against its target). A quarter without a result gets no bar."""
    low, high, step = axis_range([v for q in quarters for v in (q.target, _judged(q))])
    plot_height = PLOT_BOTTOM - PLOT_TOP

    def y_of(value):
        return PLOT_BOTTOM - (float(value) - low) / (high - low) * plot_height

    baseline = y_of(0)
    places = step_places(step)
    ticks = []
    count = round((high - low) / step)
    for i in range(count + 1):
        tick = low + i * step
        ticks.append(Tick(y=round(y_of(tick), 2), label=format_number(Decimal(str(round(tick, 6))), places)))

    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(quarters), 1)
    bar_width = min(slot * 0.3, 48)
    gap = bar_width * 0.15

    def bar(value, x, label):
        if value is None:
            return None
        top = y_of(value)
        return Bar(
            x=round(x, 2),
            y=round(min(top, baseline), 2),
            width=round(bar_width, 2),
            height=round(abs(baseline - top), 2),
            label=label(value, decimal_places),
            negative=float(value) < 0,
        )

    # The milestones' labels share their decimals, as in the table (0.5, 1.0, 1.5).
    milestone_places = formats.shared_places((row.target for row in quarters), decimal_places)

    def milestone(value, _places):
        return formats.quantity(value, milestone_places)

    groups = []
    for index, row in enumerate(quarters):
        center = PLOT_LEFT + slot * (index + 0.5)
        groups.append(
            QuarterBars(
                number=row.number,
                center_x=round(center, 2),
                target=bar(row.target, center - gap / 2 - bar_width, milestone),
                result=bar(_judged(row), center + gap / 2, formats.quantity),
            )
        )
    return Chart(quarters=groups, ticks=ticks, baseline_y=round(baseline, 2), unit=unit,
                 result_label=result_label)


def chart_for_sheet(sheet, missing_label=""):
    indicator = sheet.indicator
    chart = quarter_chart(sheet.quarters, indicator.decimal_places, indicator.unit,
                          str(TO_DATE_LABELS.get(indicator.aggregation, "")))
    chart.missing_label = str(missing_label)
    return chart
