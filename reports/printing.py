"""Printing: an indicator's sheet or a book of sheets, as PDF.

Two steps kept apart so each can be measured and tested: render the print
template to HTML, then lay the HTML out with WeasyPrint (lay_out). The HTML
is self-contained: its stylesheet is inline and the only files it reaches are
the Sarabun fonts of the fontpkg-sarabun package, embedded in the PDF."""

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdf
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf.annotations import Link
from pypdf.generic import NameObject, TextStringObject
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from indicators.selectors import detail as selectors
from indicators.models import Indicator
from indicators.sheet import build_sheet
from indicators.text import thai_date

SHEET_TEMPLATE = "reports/print/sheet.html"
BOOK_FRONT_TEMPLATE = "reports/print/book_front.html"
BOOK_SHEETS_TEMPLATE = "reports/print/book_sheets.html"


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


def html_to_pdf(html):
    """Lay out print HTML with WeasyPrint, embedding the fonts it uses."""
    return lay_out(html).write_pdf()


def render_sheet_pdf(indicator, stamp):
    """PDF of one indicator, loaded by selectors.with_sheet_relations."""
    return html_to_pdf(sheet_html(build_sheet(indicator), stamp))


# A book of 500 seed-sized sheets is about 2,500 pages and took 5.5 minutes
# (README, "Printing"); beyond that, ask for a narrower filter.
MAX_BOOK_INDICATORS = 500


def book_queryset(user, year, filter_name, value):
    """The indicators of one fiscal year that a book filtered by agency,
    district group or strategy dimension holds, among those user may see."""
    queryset = Indicator.objects.filter(fiscal_year=year).visible_to(user)
    if filter_name == "agency":
        return queryset.filter(owner=value)
    if filter_name == "district_group":
        return queryset.filter(owner__district_group=value)
    if filter_name == "dimension":
        return queryset.under_node(value)
    raise ValueError(f"unknown book filter: {filter_name!r}")


def book_titles(year, filter_name, value):
    """The book's title and, under it, what it was filtered by."""
    title = _("รายละเอียดตัวชี้วัด ปีงบประมาณ %(year)s") % {"year": year.year}
    if filter_name == "agency":
        name = f"{value.name} ({value.short_name})" if value.short_name else value.name
        return title, _("หน่วยงาน %(name)s") % {"name": name}
    if filter_name == "district_group":
        return title, value.name
    return title, f"{value.thai_numbered_label} - {value.title}"


def book_indicators(queryset):
    """The indicators of a book with everything their sheets show, in a fixed
    number of queries whatever their number."""
    return list(selectors.with_sheet_relations(queryset).order_by("code"))


# Sheets laid out per WeasyPrint run in a book. WeasyPrint keeps every laid-out
# page of a run in memory, so a book is made in runs of this many sheets and
# the runs' PDFs are joined: memory stays that of one run whatever the size.
BOOK_RUN = 25
PT = 0.75  # PDF points per CSS pixel
# Stands in for page numbers while the contents' own length is measured:
# as wide as any real number, so the table lays out the same.
PLACEHOLDER_PAGE = "0000"


@dataclass
class ContentsEntry:
    indicator: object
    page: object


def render_book_pdf(indicators, stamp, title, subtitle=""):
    """A book: cover, contents with page numbers, then each indicator's
    sheet from a new page, with one PDF bookmark per indicator.

    The sheets are laid out in runs (BOOK_RUN) numbered on from the front
    matter, whose length is measured first with placeholder numbers; the front
    matter is then made again with the real ones, and the PDFs joined."""
    sheets = [build_sheet(indicator) for indicator in indicators]

    def front(starts, total_pages):
        contents = [
            ContentsEntry(sheet.indicator, starts.get(sheet.indicator.pk, PLACEHOLDER_PAGE)) for sheet in sheets
        ]
        html = render_to_string(
            BOOK_FRONT_TEMPLATE,
            {"contents": contents, "title": title, "subtitle": subtitle, "total_pages": total_pages,
             "book": True, **print_context(stamp)},
        )
        return lay_out(html)

    front_pages = len(front({}, 0).pages)
    starts, runs, next_page = {}, [], front_pages + 1
    for first in range(0, len(sheets), BOOK_RUN):
        run = sheets[first:first + BOOK_RUN]
        html = render_to_string(
            BOOK_SHEETS_TEMPLATE,
            {"sheets": run, "title": title, "book": True, "first_page": next_page, **print_context(stamp)},
        )
        document = lay_out(html)
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith("indicator-"):
                    starts.setdefault(int(anchor.removeprefix("indicator-")), next_page + index)
        runs.append(document.write_pdf())
        next_page += len(document.pages)
        del document  # free this run's layout before the next one

    front_document = front(starts, next_page - 1)
    if len(front_document.pages) != front_pages:
        raise RuntimeError("the contents changed length once numbered")
    return join_book(front_document, runs, sheets, starts, title)


def lay_out(html):
    """WeasyPrint's laid-out document (pages, anchors, links) for print HTML."""
    return weasyprint.HTML(string=html, url_fetcher=LocalFontsOnly(), base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )


def join_book(front_document, runs, sheets, starts, title):
    """One PDF of the front matter and the runs, with a bookmark per sheet
    and the contents' rows linked to the sheets' first pages."""
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(front_document.write_pdf())), import_outline=False)
    for run in runs:
        writer.append(pypdf.PdfReader(io.BytesIO(run)), import_outline=False)
    for sheet in sheets:
        indicator = sheet.indicator
        writer.add_outline_item(title=f"{indicator.code} {indicator.name}", page_number=starts[indicator.pk] - 1)
    for index, page in enumerate(front_document.pages):
        height = float(writer.pages[index].mediabox.height)
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal" and target.startswith("indicator-"):
                pk = int(target.removeprefix("indicator-"))
                # Corners in CSS px from the top left, to PDF points from the bottom left.
                rect = (x1 * PT, height - y2 * PT, x2 * PT, height - y1 * PT)
                writer.add_annotation(index, Link(rect=rect, target_page_index=starts[pk] - 1))
    writer.add_metadata({"/Title": title, "/Creator": "KPI tracker (WeasyPrint, pypdf)"})
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject("th")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

