"""Printing: an indicator's sheet or a book of sheets, as PDF.

Two steps kept apart so each can be measured and tested: render the print
template to HTML (sheet_html, book_html), then lay the HTML out with
WeasyPrint (html_to_pdf). The HTML is self-contained: its stylesheet is
inline and the only files it reaches are the Sarabun fonts of the
fontpkg-sarabun package, embedded in the PDF."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from indicators import permissions, selectors
from indicators.models import Indicator
from indicators.sheet import build_sheet
from indicators.text import thai_date, to_thai_digits

SHEET_TEMPLATE = "reports/print/sheet.html"
BOOK_TEMPLATE = "reports/print/book.html"


@dataclass
class PrintStamp:
    """Who printed and when, for the footer of every page."""

    by: str
    at: object  # an aware datetime

    @property
    def label(self):
        local = timezone.localtime(self.at)
        return _("พิมพ์เมื่อ %(date)s เวลา %(time)s น. โดย %(who)s") % {
            "date": thai_date(local.date()),
            "time": local.strftime("%H:%M"),
            "who": self.by,
        }


def stamp_for(user, at=None):
    name = user.get_full_name() or user.get_username()
    return PrintStamp(by=name, at=at or timezone.now())


class LocalFontsOnly(URLFetcher):
    """Lets WeasyPrint read the Sarabun files and nothing else: a printed
    sheet never fetches from the network or reads other local files, whatever
    text it carries."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(Path(settings.SARABUN_DIR).resolve()):
                return super().fetch(url, headers)
        raise ValueError(f"printing does not fetch {url}")


def print_context(stamp):
    return {
        "stamp": stamp,
        # Trailing slash: the template joins file names onto it.
        "sarabun_url": Path(settings.SARABUN_DIR).resolve().as_uri() + "/",
    }


def sheet_html(sheet, stamp):
    return render_to_string(SHEET_TEMPLATE, {"sheet": sheet, **print_context(stamp)})


def book_html(sheets, stamp, title, subtitle=""):
    return render_to_string(
        BOOK_TEMPLATE,
        {"sheets": sheets, "title": title, "subtitle": subtitle, **print_context(stamp)},
    )


def html_to_pdf(html):
    """Lay out print HTML with WeasyPrint, embedding the fonts it uses."""
    fetcher = LocalFontsOnly()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR))
    return document.write_pdf(font_config=FontConfiguration())


def render_sheet_pdf(indicator, stamp):
    """PDF of one indicator, loaded by selectors.indicator_for_sheet."""
    return html_to_pdf(sheet_html(build_sheet(indicator), stamp))


# A book beyond this is better split: WeasyPrint holds a whole document in memory.
MAX_BOOK_INDICATORS = 1000


def book_queryset(user, year, filter_name, value):
    """The indicators of one fiscal year that a book filtered by agency,
    district group or strategy dimension holds, among those user may see."""
    queryset = permissions.visible_indicators(user, Indicator.objects.filter(fiscal_year=year))
    if filter_name == "agency":
        return queryset.filter(owner=value)
    if filter_name == "district_group":
        return queryset.filter(owner__district_group=value)
    if filter_name == "dimension":
        # An indicator supports nodes at any depth below the dimension.
        under = Q()
        for depth in range(4):
            under |= Q(**{"strategy_nodes" + "__parent" * depth: value})
        return queryset.filter(under).distinct()
    raise ValueError(f"unknown book filter: {filter_name!r}")


def book_titles(year, filter_name, value):
    """The book's title and, under it, what it was filtered by."""
    title = _("รายละเอียดตัวชี้วัด ปีงบประมาณ %(year)s") % {"year": year.year}
    if filter_name == "agency":
        name = f"{value.name} ({value.short_name})" if value.short_name else value.name
        return title, _("หน่วยงาน %(name)s") % {"name": name}
    if filter_name == "district_group":
        return title, value.name
    return title, f"{value.get_level_display()}ที่ {to_thai_digits(value.code)} - {value.title}"


def book_indicators(queryset):
    """The indicators of a book with everything their sheets show, in a fixed
    number of queries whatever their number."""
    return list(selectors.with_sheet_relations(queryset).order_by("code"))


def render_book_pdf(indicators, stamp, title, subtitle=""):
    sheets = [build_sheet(indicator) for indicator in indicators]
    return html_to_pdf(book_html(sheets, stamp, title, subtitle))
