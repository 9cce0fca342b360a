"""Stacked horizontal bar charts drawn on the server as SVG: no JavaScript,
the same picture on screen and in print. Accessible: a <title> and <desc>,
every bar labelled in text, every segment a link with its own label."""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 300
BAR_AREA = 520
COUNT_WIDTH = 60
WIDTH = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH
LEGEND_HEIGHT = 30
LABEL_CHARS = 42


@dataclass
class Segment:
    key: str  # a CSS-safe name for the colour (a status)
    label: str
    count: int
    href: str | None = None


@dataclass
class Bar:
    label: str
    segments: list = field(default_factory=list)

    @property
    def total(self):
        return sum(segment.count for segment in self.segments)


def _visible_length(text):
    """Thai vowels above/below and tone marks take no width of their own."""
    return sum(1 for ch in text if not ("\u0e31" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"))


def _short(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stacked_bars(title, description, bars, legend, chart_id):
    """legend: [(key, label)] in segment order; bars: [Bar]. Returns safe SVG."""
    longest = max((bar.total for bar in bars), default=0) or 1
    height = LEGEND_HEIGHT + ROW_HEIGHT * max(len(bars), 1) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    x = LABEL_WIDTH
    for key, label in legend:
        out.append(f'<rect class="seg-{escape(key)}" x="{x}" y="6" width="14" height="14"/>')
        out.append(f'<text x="{x + 18}" y="18" class="legend">{escape(label)}</text>')
        x += 34 + 8 * _visible_length(str(label))
    if not bars:
        no_data = escape(_("ไม่มีข้อมูล"))  # outside the f-string, where makemessages sees it
        out.append(f'<text x="0" y="{LEGEND_HEIGHT + 18}">{no_data}</text>')
    for row, bar in enumerate(bars):
        y = LEGEND_HEIGHT + row * ROW_HEIGHT
        out.append(f'<g class="bar"><text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end" class="bar-label">'
                   f'<title>{escape(bar.label)}</title>{escape(_short(bar.label))}</text>')
        x = float(LABEL_WIDTH)
        for segment in bar.segments:
            if not segment.count:
                continue
            width = BAR_AREA * segment.count / longest
            name = f"{bar.label}: {segment.label} {segment.count}"
            rect = (f'<rect class="seg-{escape(segment.key)}" x="{x:.1f}" y="{y + 1}" '
                    f'width="{width:.1f}" height="{BAR_HEIGHT}"><title>{escape(name)}</title></rect>')
            if segment.href:
                rect = f'<a href="{escape(segment.href)}" aria-label="{escape(name)}">{rect}</a>'
            out.append(rect)
            x += width
        out.append(f'<text x="{x + 6:.1f}" y="{y + 14}" class="bar-total">{bar.total}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))
