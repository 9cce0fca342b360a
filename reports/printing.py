"""Printing: an indicator's sheet or a book of sheets, as PDF.

Two steps kept apart so each can be measured and tested: render the print
template to HTML, then lay the HTML out with WeasyPrint (lay_out). The HTML
is self-contained: its stylesheet is inline and the only files it reaches are
the Sarabun fonts of the fontpkg-sarabun package, embedded in the PDF."""

import hashlib
import io
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import weasyprint
from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from indicators import permissions
from indicators.models import Indicator
from indicators.text import thai_date

from . import sheet_pdfs
from .project_printing import sheet as project_sheet
from .sheet import build_sheet, with_sheet_relations

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


def print_context(stamp=None, footer=None):
    """footer: None for sheets and front matter, laid out without one (and
    cached); "stamp" or "numbers" for the parts laid over them (finish)."""
    return {
        "stamp": stamp,
        "footer": footer,
        # Trailing slash: the template joins file names onto it.
        "sarabun_url": Path(settings.SARABUN_DIR).resolve().as_uri() + "/",
    }


def sheet_html(sheet, stamp=None, supporting=None):
    """supporting: the indicator's linked projects (project_sheet.supporting_projects)."""
    return render_to_string(SHEET_TEMPLATE, {"sheet": sheet, "supporting": supporting or [],
                                             **print_context(stamp)})


def html_to_pdf(html):
    """Lay out print HTML with WeasyPrint, embedding the fonts it uses."""
    return lay_out(html).write_pdf()


def render_sheet_pdf(indicator, stamp):
    """PDF of one indicator, loaded by sheet.with_sheet_relations: its
    cached stamp-free sheet with the footer laid over every page."""
    (body,) = sheets([indicator])
    title = f"{indicator.code} {indicator.name}"
    with pikepdf.open(io.BytesIO(body)) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(title, 0))
        return finish(pdf, stamp, title, book=False)


def lay_out_sheets(indicators):
    """Each indicator's sheet laid out without the stamp, as one PDF per
    indicator, from one WeasyPrint run (pages of a run share its fonts)."""
    supporting = project_sheet.supporting_projects(indicators)
    entries = [(build_sheet(indicator), supporting.get(indicator.pk, [])) for indicator in indicators]
    html = render_to_string(BOOK_SHEETS_TEMPLATE, {"entries": entries, "title": "", **print_context()})
    return split_run(lay_out(html), "indicator-", [indicator.pk for indicator in indicators])


def split_run(document, prefix, pks):
    """One laid-out WeasyPrint run of sheets cut into one PDF per sheet: each
    sheet starts at the page holding its anchor prefix + pk, pks in the
    run's order."""
    starts = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(prefix):
                starts.setdefault(int(anchor.removeprefix(prefix)), index)
    pdfs = []
    with pikepdf.open(io.BytesIO(document.write_pdf())) as run:
        del document  # free the layout before splitting
        bounds = [starts[pk] for pk in pks] + [len(run.pages)]
        for first, end in pairwise(bounds):
            with pikepdf.new() as sheet:
                sheet.pages.extend(run.pages[first:end])
                # WeasyPrint gives every page of a run one resource dictionary:
                # keep only what this sheet's pages draw.
                sheet.remove_unreferenced_resources()
                out = io.BytesIO()
                sheet.save(out)
                pdfs.append(out.getvalue())
    return pdfs


# A book of 500 seed-sized sheets is about 2,500 pages and took 5.5 minutes
# (README, "Printing"); beyond that, ask for a narrower filter.
MAX_BOOK_INDICATORS = 500


def book_queryset(user, year, filters):
    """The indicators of one fiscal year that a book holds, among those user
    may see: all of them, or those of the chosen agency, district group and
    strategy dimension together (`filters`: BookFilterForm.chosen())."""
    queryset = permissions.visible_indicators(user, Indicator.objects.filter(fiscal_year=year))
    for name, value in filters.items():
        if name == "agency":
            queryset = queryset.filter(owner=value)
        elif name == "district_group":
            queryset = queryset.filter(owner__district_group=value)
        elif name == "dimension":
            queryset = queryset.under_node(value)
        else:
            raise ValueError(f"unknown book filter: {name!r}")
    return queryset


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
    # Each indicator's projects' sheets after its own (BookFilterForm.with_projects).
    with_projects: bool = False


@dataclass
class BookSize:
    """How many sheets (one per indicator) a valid BookFilterForm asks for,
    and why it cannot be printed, if it cannot."""

    sheets: int
    refusal: BookRefused | None = None


def book_size(user, form):
    """The form's book checked: the agency must be theirs to see, the book
    neither empty nor over MAX_BOOK_INDICATORS sheets. The form page shows
    its count ("จะได้ N แผ่น") and book_selection refuses with its reason."""
    filters = form.chosen()
    agency = filters.get("agency")
    if agency is not None and not permissions.can_view_agency(user, agency):
        return BookSize(0, BookRefused(_("ท่านไม่มีสิทธิ์พิมพ์ตัวชี้วัดของหน่วยงานนี้"), 403))
    count = book_queryset(user, form.cleaned_data["year"], filters).count()
    if count == 0:
        return BookSize(0, BookRefused(_("ไม่มีตัวชี้วัดตามเงื่อนไขที่เลือก"), 404))
    if count > MAX_BOOK_INDICATORS:
        return BookSize(count, BookRefused(_(
            "ตัวชี้วัดตามเงื่อนไขนี้มี %(n)s รายการ เกินกว่าที่พิมพ์รวมเล่มได้ครั้งละ %(max)s รายการ กรุณาเลือกให้แคบลง"
        ) % {"n": count, "max": MAX_BOOK_INDICATORS}, 400))
    return BookSize(count)


def book_selection(user, form):
    """What a valid BookFilterForm asks of user's indicators, checked
    (book_size). The view checks before queueing a job; the job again when
    it runs."""
    size = book_size(user, form)
    if size.refusal is not None:
        raise size.refusal
    filters = form.chosen()
    year = form.cleaned_data["year"]
    title, subtitle = book_titles(year, filters)
    parts = [f"{name}-{getattr(value, 'code', value.pk)}" for name, value in filters.items()] or ["all"]
    with_projects = bool(form.cleaned_data.get("with_projects"))
    if with_projects:
        parts.append("with-projects")
    filename = f"indicators-{year.year}-{'-'.join(parts)}.pdf"
    return BookSelection(book_queryset(user, year, filters), title, subtitle, filename, with_projects)


def book_titles(year, filters):
    """The book's title and, under it, what it was filtered by."""
    title = _("รายละเอียดตัวชี้วัด ปีงบประมาณ %(year)s") % {"year": year.year}
    parts = []
    for name, value in filters.items():
        if name == "agency":
            agency = f"{value.name} ({value.short_name})" if value.short_name else value.name
            parts.append(_("หน่วยงาน %(name)s") % {"name": agency})
        elif name == "district_group":
            parts.append(value.name)
        else:
            parts.append(f"{value.thai_numbered_label} - {value.title}")
    return title, " · ".join(parts) if parts else _("ทุกหน่วยงาน")


def book_indicators(queryset):
    """The indicators of a book with everything their sheets show, in a fixed
    number of queries whatever their number."""
    return list(with_sheet_relations(queryset).order_by("code"))


# Sheets laid out per WeasyPrint run. WeasyPrint keeps every laid-out page
# of a run in memory, so sheets are laid out in runs of at most this many:
# memory stays that of one run whatever the size of the book.
BOOK_RUN = 25
PT = 0.75  # PDF points per CSS pixel


@dataclass(frozen=True)
class BookEntry:
    """One sheet of a book: its row in the contents and its bookmark. An
    indicator's sheet, or a project's: in a project book at level 1, in a
    book of indicators at level 2, after the sheet of the indicator it
    supports (so a project may come twice, after each of its indicators)."""

    kind: str  # INDICATOR or PROJECT
    code: str
    name: str
    owner_short_name: str
    owner_name: str
    level: int = 1


INDICATOR, PROJECT = "indicator", "project"


def indicator_entry(indicator):
    return BookEntry(INDICATOR, indicator.code, indicator.name, indicator.owner.short_name, indicator.owner.name)


@dataclass
class ContentsEntry:
    entry: BookEntry
    anchor: str
    page: object
    seq: int | None  # the number of a level 1 row; rows under it have none


def render_book_pdf(indicators, stamp, title, subtitle="", after=None):
    """A book of indicators: each one's sheet from the sheet cache (laid out
    now if missing: a print job lays them out beforehand, in parallel),
    followed by the (BookEntry, stamp-free PDF) pairs `after` gives for its
    pk (its projects' sheets), joined by render_entries_book."""
    after = after or {}
    entries, bodies = [], []
    for indicator, pdf in zip(indicators, sheets(indicators), strict=True):
        entries.append(indicator_entry(indicator))
        bodies.append(pdf)
        for entry, extra in after.get(indicator.pk, []):
            entries.append(entry)
            bodies.append(extra)
    return render_entries_book(entries, bodies, stamp, title, subtitle)


def render_entries_book(entries, pdfs, stamp, title, subtitle=""):
    """A book: cover, contents with page numbers, then each entry's sheet
    (stamp-free PDFs, one per entry) from a new page, with one PDF bookmark
    per entry (level 2 entries under the level 1 before them).

    The front matter's length depends only on the rows, so the sheets'
    page numbers are known before it is laid out; it is cached too."""
    bodies = [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs]
    front_pages = front_length(entries, title, subtitle)
    rows = _front_rows(entries)
    starts, next_page = [], front_pages + 1
    for body in bodies:
        starts.append(next_page)
        next_page += len(body.pages)
    front_key = _key("front", title, subtitle, rows, starts, next_page)
    front_pdf, links_json = sheet_pdfs.read(front_key + ".pdf"), sheet_pdfs.read(front_key + ".json")
    if front_pdf is None or links_json is None:
        front_document = _lay_out_front(entries, title, subtitle, starts, next_page - 1)
        if len(front_document.pages) != front_pages:
            raise RuntimeError("the contents changed length once numbered")
        front_links = [
            [[int(target.removeprefix("entry-")), [x1, y1, x2, y2]]
             for kind, target, (x1, y1, x2, y2), _box in page.links
             if kind == "internal" and target.startswith("entry-")]
            for page in front_document.pages
        ]
        front_pdf = front_document.write_pdf()
        sheet_pdfs.write(front_key + ".json", json.dumps(front_links).encode())
        sheet_pdfs.write(front_key + ".pdf", front_pdf)
    else:
        front_links = json.loads(links_json)

    try:
        book = pikepdf.open(io.BytesIO(front_pdf))
        for body in bodies:
            book.pages.extend(body.pages)
        _share_fonts(book)
        with book.open_outline() as outline:
            parent = None
            for entry, start in zip(entries, starts, strict=True):
                item = pikepdf.OutlineItem(f"{entry.code} {entry.name}", start - 1)
                if entry.level > 1 and parent is not None:
                    parent.children.append(item)
                else:
                    outline.root.append(item)
                    parent = item
        for index, page_links in enumerate(front_links):
            target_page = book.pages[index]
            height = float(target_page.mediabox[3])
            links = []
            for position, (x1, y1, x2, y2) in page_links:
                # Corners in CSS px from the top left, to PDF points from the bottom left.
                rect = [x1 * PT, height - y2 * PT, x2 * PT, height - y1 * PT]
                links.append(book.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=rect, Border=[0, 0, 0],
                    Dest=[book.pages[starts[position] - 1].obj, pikepdf.Name.Fit],
                )))
            if links:
                target_page.obj.Annots = pikepdf.Array(list(target_page.obj.get("/Annots", [])) + links)
        return finish(book, stamp, title, book=True)
    finally:
        for body in bodies:
            body.close()


def _lay_out_front(entries, title, subtitle, starts, total_pages):
    contents, seq = [], 0
    for index, entry in enumerate(entries):
        seq += entry.level == 1
        contents.append(ContentsEntry(entry, f"entry-{index}", starts[index] if starts else "0000",
                                      seq if entry.level == 1 else None))
    kinds = {entry.kind for entry in entries}
    html = render_to_string(
        BOOK_FRONT_TEMPLATE,
        {"contents": contents, "title": title, "subtitle": subtitle, "total_pages": total_pages,
         "indicator_count": sum(entry.kind == INDICATOR for entry in entries),
         "project_count": sum(entry.kind == PROJECT for entry in entries),
         "projects_only": kinds == {PROJECT}, "mixed": len(kinds) > 1,
         "book": True, **print_context()},
    )
    # The contents link to sheets that are not in this document: WeasyPrint
    # reports each missing anchor; render_entries_book makes the links.
    with _quiet("weasyprint"):
        return lay_out(html)


def _front_rows(entries):
    return [[entry.kind, entry.code, entry.name, entry.owner_short_name, entry.owner_name, entry.level]
            for entry in entries]


def front_length(entries, title, subtitle):
    """Pages of a book's front matter, measured with placeholder numbers as
    wide as any real one (the table lays out the same) and kept with what it
    depends on. A print job measures it beside the sheets' runs; the
    numbered front matter is then kept too, so a reprint lays out neither."""
    name = _key("front-length", title, subtitle, _front_rows(entries))
    cached = sheet_pdfs.read(name)
    if cached is not None:
        return int(cached)
    pages = len(_lay_out_front(entries, title, subtitle, [], 0).pages)
    sheet_pdfs.write(name, str(pages).encode())
    return pages


def _key(kind, *parts):
    """A print-cache file name for what a cached part depends on."""
    digest = hashlib.sha1(json.dumps([sheet_pdfs.LAYOUT_VERSION, translation.get_language(), *parts],
                                     default=str, ensure_ascii=False).encode()).hexdigest()
    return f"{kind}-{digest}"


class _quiet:
    """Silences a logger for a block."""

    def __init__(self, name):
        self.logger = logging.getLogger(name)

    def __enter__(self):
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)


def _share_fonts(pdf):
    """One copy of each font in the book: every cached sheet carries the
    fonts of the run it was laid out in, byte for byte the same as its
    run-mates'. Pages are pointed at the first copy; the others are then
    unreferenced and not written."""
    seen = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        if fonts is None:
            continue
        for name in list(fonts.keys()):
            font = fonts[name]
            key = _font_key(font)
            if key is None:
                continue
            if key in seen:
                fonts[name] = seen[key]
            else:
                seen[key] = font


def _font_key(font):
    digest = hashlib.sha1(str(font.get("/BaseFont")).encode())
    parts = [font]
    for descendant in font.get("/DescendantFonts", []):
        parts.append(descendant)
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is not None:
            parts.append(descriptor)
    for part in parts:
        for key in ("/FontFile2", "/FontFile3", "/FontFile", "/ToUnicode", "/CIDToGIDMap"):
            stream = part.get(key)
            if isinstance(stream, pikepdf.Stream):
                digest.update(key.encode())
                digest.update(stream.read_raw_bytes())
        for key in ("/W", "/Widths", "/FirstChar", "/LastChar"):
            if key in part:
                digest.update(repr(part[key]).encode())
    return digest.hexdigest()


def lay_out(html):
    """WeasyPrint's laid-out document (pages, anchors, links) for print HTML."""
    return weasyprint.HTML(string=html, url_fetcher=LocalFontsOnly(), base_url=str(settings.BASE_DIR)).render(
        font_config=FontConfiguration()
    )


def stamp_pdf(stamp):
    """Who printed and when, alone on one page, to be laid over every page."""
    html = render_to_string(STAMP_TEMPLATE, {"pages": range(1), "title": "", **print_context(stamp, "stamp")})
    return html_to_pdf(html)


# A book's page numbers are laid out in blocks of this many pages, kept, and
# shared by every book: "หน้า 101" is the same whatever the book.
NUMBER_BLOCK = 100


def book_numbers(block):
    """Pages block × NUMBER_BLOCK + 1 … of a book's numbers ("หน้า x") alone."""
    name = _key("numbers-book", block, NUMBER_BLOCK) + ".pdf"
    pdf = sheet_pdfs.read(name)
    if pdf is None:
        html = render_to_string(STAMP_TEMPLATE, {
            "pages": range(NUMBER_BLOCK), "book": True, "first_page": block * NUMBER_BLOCK + 1, "title": "",
            **print_context(None, "numbers"),
        })
        pdf = html_to_pdf(html)
        sheet_pdfs.write(name, pdf)
    return pdf


def sheet_numbers(pages):
    """A sheet's numbers ("หน้า x จาก y") alone on its pages, kept per length."""
    name = _key("numbers-sheet", pages) + ".pdf"
    pdf = sheet_pdfs.read(name)
    if pdf is None:
        html = render_to_string(STAMP_TEMPLATE, {"pages": range(pages), "title": "", **print_context(None, "numbers")})
        pdf = html_to_pdf(html)
        sheet_pdfs.write(name, pdf)
    return pdf


def finish(pdf, stamp, title, *, book):
    """Lays the footer (stamp, then page numbers) over every page and writes the PDF."""
    count = len(pdf.pages)
    if book:
        sources = [pikepdf.open(io.BytesIO(book_numbers(block))) for block in range(math.ceil(count / NUMBER_BLOCK))]
    else:
        sources = [pikepdf.open(io.BytesIO(sheet_numbers(count)))]
    numbers = [page for source in sources for page in source.pages]
    try:
        with pikepdf.open(io.BytesIO(stamp_pdf(stamp))) as stamp_page:
            stamp_form = pdf.copy_foreign(stamp_page.pages[0].as_form_xobject())
            # A book's numbers come in blocks of NUMBER_BLOCK pages: the last block runs past the end.
            for page, number in zip(pdf.pages, numbers, strict=False):
                page.add_overlay(stamp_form, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
                page.add_overlay(number)
            pdf.docinfo["/Title"] = title
            pdf.docinfo["/Creator"] = "KPI tracker (WeasyPrint, pikepdf)"
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            pdf.Root.Lang = pikepdf.String("th")
            out = io.BytesIO()
            pdf.save(out)
    finally:
        for source in sources:
            source.close()
    return out.getvalue()


def sheets(
    indicators: Sequence[Indicator], on_laid_out: Callable[[int], None] | None = None
) -> list[bytes]:
    """Each indicator's stamp-free sheet, from the cache or laid out now (in
    runs of BOOK_RUN) and cached. The indicators come loaded by
    sheet.with_sheet_relations. on_laid_out(n) reports progress."""
    found: dict[int, bytes] = {}
    missing = []
    for indicator in indicators:
        pdf = sheet_pdfs.cached(indicator)
        if pdf is None:
            missing.append(indicator)
        else:
            found[indicator.pk] = pdf
    for first in range(0, len(missing), BOOK_RUN):
        run = missing[first:first + BOOK_RUN]
        for indicator, pdf in zip(run, lay_out_sheets(run), strict=True):
            sheet_pdfs.store(indicator, pdf)
            found[indicator.pk] = pdf
        if on_laid_out:
            on_laid_out(len(run))
    return [found[indicator.pk] for indicator in indicators]
