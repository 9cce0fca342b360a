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
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf.annotations import Link
from pypdf.generic import NameObject, TextStringObject
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from indicators import permissions
from indicators.selectors import detail as selectors
from indicators.models import Indicator
from indicators.sheet import build_sheet
from indicators.text import thai_date

SHEET_TEMPLATE = "reports/print/sheet.html"
BOOK_FRONT_TEMPLATE = "reports/print/book_front.html"
BOOK_SHEETS_TEMPLATE = "reports/print/book_sheets.html"
STAMP_TEMPLATE = "reports/print/stamp.html"


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
        # Sheets laid out without the stamp are cached; the stamp is laid over them.
        "stamp_free": stamp is None,
        # Trailing slash: the template joins file names onto it.
        "sarabun_url": Path(settings.SARABUN_DIR).resolve().as_uri() + "/",
    }


def sheet_html(sheet, stamp=None):
    return render_to_string(SHEET_TEMPLATE, {"sheet": sheet, **print_context(stamp)})


def html_to_pdf(html):
    """Lay out print HTML with WeasyPrint, embedding the fonts it uses."""
    return lay_out(html).write_pdf()


def render_sheet_pdf(indicator, stamp):
    """PDF of one indicator, loaded by selectors.with_sheet_relations: its
    cached stamp-free sheet with the footer laid over every page."""
    from . import sheet_pdfs

    (body,) = sheet_pdfs.sheet_pdfs([indicator])
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(body)), import_outline=False)
    writer.add_outline_item(title=f"{indicator.code} {indicator.name}", page_number=0)
    title = f"{indicator.code} {indicator.name}"
    return finish(writer, stamp, title, book=False)


def lay_out_sheets(indicators):
    """Each indicator's sheet laid out without the stamp, as one PDF per
    indicator, from one WeasyPrint run (pages of a run share its fonts)."""
    sheets = [build_sheet(indicator) for indicator in indicators]
    html = render_to_string(BOOK_SHEETS_TEMPLATE, {"sheets": sheets, "title": "", **print_context(None)})
    document = lay_out(html)
    starts = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("indicator-"):
                starts.setdefault(int(anchor.removeprefix("indicator-")), index)
    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    del document  # free the layout before splitting
    bounds = [starts[indicator.pk] for indicator in indicators] + [len(reader.pages)]
    pdfs = []
    for first, end in zip(bounds, bounds[1:]):
        writer = pypdf.PdfWriter()
        for index in range(first, end):
            writer.add_page(reader.pages[index])
        out = io.BytesIO()
        writer.write(out)
        pdfs.append(out.getvalue())
    return pdfs


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


class BookRefused(Exception):
    """A book that cannot be made as asked: the Thai reason and the HTTP status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class BookSelection:
    queryset: QuerySet
    title: str
    subtitle: str
    filename: str


def book_selection(user, form):
    """What a valid BookFilterForm asks of user's indicators, checked: the
    agency must be theirs to see, and the book neither empty nor too big.
    The view checks before queueing a job; the job again when it runs."""
    filter_name, value = form.chosen()
    if filter_name == "agency" and not permissions.can_view_agency(user, value):
        raise BookRefused(_("ท่านไม่มีสิทธิ์พิมพ์ตัวชี้วัดของหน่วยงานนี้"), 403)
    year = form.cleaned_data["year"]
    queryset = book_queryset(user, year, filter_name, value)
    count = queryset.count()
    if count == 0:
        raise BookRefused(_("ไม่มีตัวชี้วัดตามเงื่อนไขที่เลือก"), 404)
    if count > MAX_BOOK_INDICATORS:
        raise BookRefused(_(
            "ตัวชี้วัดตามเงื่อนไขนี้มี %(n)s รายการ เกินกว่าที่พิมพ์รวมเล่มได้ครั้งละ %(max)s รายการ กรุณาเลือกให้แคบลง"
        ) % {"n": count, "max": MAX_BOOK_INDICATORS}, 400)
    title, subtitle = book_titles(year, filter_name, value)
    filename = f"indicators-{year.year}-{filter_name}-{getattr(value, 'code', value.pk)}.pdf"
    return BookSelection(queryset, title, subtitle, filename)


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


# Sheets laid out per WeasyPrint run. WeasyPrint keeps every laid-out page
# of a run in memory, so sheets are laid out in runs of at most this many:
# memory stays that of one run whatever the size of the book.
BOOK_RUN = 25
PT = 0.75  # PDF points per CSS pixel


@dataclass
class ContentsEntry:
    indicator: object
    page: object


def render_book_pdf(indicators, stamp, title, subtitle=""):
    """A book: cover, contents with page numbers, then each indicator's
    sheet from a new page, with one PDF bookmark per indicator.

    The sheets come from the sheet cache (laid out now if missing: a
    print job lays them out beforehand, in parallel); the front matter's
    length depends only on the number of rows, so the sheets' page numbers
    are known before it is laid out."""
    from . import sheet_pdfs

    bodies = [pypdf.PdfReader(io.BytesIO(pdf)) for pdf in sheet_pdfs.sheet_pdfs(indicators)]

    def front(starts, total_pages):
        contents = [ContentsEntry(indicator, starts.get(indicator.pk, "0000")) for indicator in indicators]
        html = render_to_string(
            BOOK_FRONT_TEMPLATE,
            {"contents": contents, "title": title, "subtitle": subtitle, "total_pages": total_pages,
             "book": True, **print_context(None)},
        )
        return lay_out(html)

    # Placeholder numbers as wide as any real one: the table lays out the same.
    front_pages = len(front({}, 0).pages)
    starts, next_page = {}, front_pages + 1
    for indicator, body in zip(indicators, bodies):
        starts[indicator.pk] = next_page
        next_page += len(body.pages)
    front_document = front(starts, next_page - 1)
    if len(front_document.pages) != front_pages:
        raise RuntimeError("the contents changed length once numbered")

    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(front_document.write_pdf())), import_outline=False)
    for body in bodies:
        writer.append(body, import_outline=False)
    for indicator in indicators:
        writer.add_outline_item(title=f"{indicator.code} {indicator.name}", page_number=starts[indicator.pk] - 1)
    for index, page in enumerate(front_document.pages):
        height = float(writer.pages[index].mediabox.height)
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal" and target.startswith("indicator-"):
                pk = int(target.removeprefix("indicator-"))
                # Corners in CSS px from the top left, to PDF points from the bottom left.
                rect = (x1 * PT, height - y2 * PT, x2 * PT, height - y1 * PT)
                writer.add_annotation(index, Link(rect=rect, target_page_index=starts[pk] - 1))
    return finish(writer, stamp, title, book=True)


def lay_out(html):
    """WeasyPrint's laid-out document (pages, anchors, links) for print HTML."""
    return weasyprint.HTML(string=html, url_fetcher=LocalFontsOnly(), base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )


def stamp_pdf(pages, stamp, book):
    """The footer alone (who printed, when, "หน้า x" or "หน้า x จาก y") on
    as many pages as the document has, to be laid over it."""
    html = render_to_string(STAMP_TEMPLATE, {"pages": range(pages), "book": book, "title": "", **print_context(stamp)})
    return html_to_pdf(html)


def finish(writer, stamp, title, *, book):
    """Lays the footer over every page and writes the PDF."""
    overlay = pypdf.PdfReader(io.BytesIO(stamp_pdf(len(writer.pages), stamp, book)))
    for page, footer in zip(writer.pages, overlay.pages):
        page.merge_page(footer)
    writer.add_metadata({"/Title": title, "/Creator": "KPI tracker (WeasyPrint, pypdf)"})
    writer.page_mode = "/UseOutlines"
    writer.root_object[NameObject("/Lang")] = TextStringObject("th")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
