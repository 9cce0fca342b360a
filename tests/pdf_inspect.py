"""Reading back the PDFs we print, for tests: text, fonts, bookmarks."""

import io
import re

import pypdf

THAI = re.compile("[\u0e00-\u0e7f]")


def reader(pdf_bytes):
    return pypdf.PdfReader(io.BytesIO(pdf_bytes))


def page_texts(pdf_bytes):
    return [page.extract_text() or "" for page in reader(pdf_bytes).pages]


def thai_normal(text):
    """Text as extraction can give it back, for comparing. No whitespace:
    lines wrap where they wrap. SARA AM as SARA AA, with no NIKHAHIT and no
    tone mark before it: Sarabun draws ำ as two glyphs (NIKHAHIT + SARA AA)
    stacked with the tone mark, and a PDF's ToUnicode can give each glyph one
    meaning only, so "น้ำ" comes back as "นา" (a WeasyPrint limitation)."""
    text = re.sub(r"\s+", "", text)
    text = re.sub("[\u0e48-\u0e4b]?[\u0e33]", "\u0e32", text)
    return text.replace("\u0e4d", "")


def pdf_text(pdf_bytes):
    return thai_normal("".join(page_texts(pdf_bytes)))


def _fonts_in(resources, seen, found):
    if resources is None:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                found.append(font)
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                _fonts_in(xobject.get("/Resources"), seen, found)


def fonts(pdf_bytes):
    """Every font dictionary the pages (and their form XObjects) use."""
    seen, found = set(), []
    for page in reader(pdf_bytes).pages:
        _fonts_in(page.get("/Resources"), seen, found)
    return found


def base_name(font):
    """'/ABCDEF+Sarabun-Bold' -> 'Sarabun-Bold' (drops the subset tag)."""
    return str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]


def mapped_text(font):
    """All the characters a font's ToUnicode map gives, as one string."""
    to_unicode = font.get("/ToUnicode")
    if to_unicode is None:
        return ""
    cmap = to_unicode.get_object().get_data().decode("latin-1")
    # WeasyPrint writes bfchar lines, "<glyph id> <UTF-16BE text>".
    chars = [
        bytes.fromhex(text).decode("utf-16-be", errors="replace")
        for _glyph, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", cmap)
        if len(text) % 4 == 0
    ]
    return "".join(chars)


def fonts_carrying_thai(pdf_bytes):
    return {base_name(font) for font in fonts(pdf_bytes) if THAI.search(mapped_text(font))}


def outline_titles(pdf_bytes):
    """Top-level bookmarks: (title, zero-based page index)."""
    pdf = reader(pdf_bytes)
    return [(item.title, pdf.get_destination_page_number(item)) for item in pdf.outline if not isinstance(item, list)]
