"""The printed indicator sheet: /indicators/<year>/<code>/sheet.pdf."""

import datetime
import logging
import re
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from reports import printing
from reports.models import Narrative
from reports.sheet import with_sheet_relations

from .factories import AgencyFactory, DistrictGroupFactory, IndicatorFactory, NarrativeFactory, QuarterResultFactory
from .pdf_inspect import (
    base_name,
    fonts,
    fonts_carrying_thai,
    outline_titles,
    page_texts,
    pdf_text,
    thai_normal,
)
from .pytest_fixtures import PRINT_LINK_LABEL, SEED_SECTION_LABELS, SEED_URL

SHEET_URL = SEED_URL + "sheet.pdf"
SEED_TITLE = "กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่"
# The printed sheet has every section of the page but the print link itself.
SECTION_LABELS = [label for label in SEED_SECTION_LABELS if label != PRINT_LINK_LABEL]
HEADINGS = SECTION_LABELS[SECTION_LABELS.index("ผลงานเทียบกับเป้าหมายรายไตรมาส"):]


@pytest.fixture(scope="module")
def sarabun_chars():
    font = TTFont(settings.SARABUN_DIR / "Sarabun-Regular.ttf")
    return set(font.getBestCmap())


def seed_sheet_pdf(client):
    response = client.get(SHEET_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_detail_page_print_link_opens_the_sheet(seed, manager_client):
    html = manager_client.get(SEED_URL).content.decode()
    assert f'<a href="{SHEET_URL}">พิมพ์ข้อมูล</a>' in html


def test_sheet_has_the_thai_title_code_and_every_section_in_page_order(seed, manager_client):
    pdf = seed_sheet_pdf(manager_client)
    text = pdf_text(pdf)
    assert thai_normal(f"{SEED_TITLE} : 2100-1037") in text
    positions = [text.index(thai_normal(label)) for label in SECTION_LABELS]
    assert positions == sorted(positions)
    assert thai_normal("ตัวชี้วัดเชิงยุทธศาสตร์ (ตัวชี้วัดระดับผลผลิต (output))") in text
    assert thai_normal(":ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City") in text
    assert thai_normal("4. ภาพถ่ายการจัดกิจกรรม") in text


def test_sheet_quarterly_table_values(seed, manager_client):
    text = pdf_text(seed_sheet_pdf(manager_client))
    table = text[text.index(thai_normal("ผลงานเทียบกับเป้าหมายรายไตรมาส")):]
    rows = [
        "1 6 20 100.00 100.00 / 100.00",
        "2 6 20 100.00 100.00 / 100.00",
        "3 6 70 100.00 100.00 / 100.00",
        "4 6 70 รอการประเมิน รอการประเมิน",
    ]
    positions = [table.index(thai_normal(row)) for row in rows]
    assert positions == sorted(positions)
    assert "0.0000" not in text


def test_every_narrative_is_printed_whole(seed, manager_client):
    pdf = seed_sheet_pdf(manager_client)
    text = body_text(pdf)
    for narrative in Narrative.objects.filter(indicator=seed):
        assert thai_normal(narrative.text) in text


def test_header_and_footer_on_every_page(seed, manager_client):
    pdf = seed_sheet_pdf(manager_client)
    pages = page_texts(pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        page = thai_normal(page)
        assert thai_normal("กรุงเทพมหานคร · สำนักยุทธศาสตร์และประเมินผล (สยป.)") in page
        assert thai_normal("ปีงบประมาณ 2563 · ตัวชี้วัด 2100-1037") in page
        assert thai_normal(f"หน้า {number} จาก {len(pages)}") in page
        assert thai_normal("พิมพ์เมื่อ") in page


def test_footer_says_when_in_buddhist_era_and_by_whom(seed):
    indicator = with_sheet_relations().get(fiscal_year__year=2563, code="2100-1037")
    at = datetime.datetime(2026, 11, 25, 22, 40, tzinfo=datetime.UTC)  # 05:40 on the 26th in Bangkok
    pdf = printing.render_sheet_pdf(indicator, printing.PrintStamp(by="นางสาวทดสอบ ใจดี", at=at))
    assert thai_normal("พิมพ์เมื่อ 26 พ.ย. 2569 เวลา 05:40 น. โดย นางสาวทดสอบ ใจดี") in thai_normal(page_texts(pdf)[-1])


def test_footer_names_the_signed_in_user(seed, client, make_user):
    user = make_user("manager")
    user.first_name, user.last_name = "สมหญิง", "ผู้บริหาร"
    user.save()
    client.force_login(user)
    assert thai_normal("โดย สมหญิง ผู้บริหาร") in pdf_text(seed_sheet_pdf(client))


def test_fonts_are_embedded_sarabun_and_only_sarabun_carries_thai(seed, manager_client):
    pdf = seed_sheet_pdf(manager_client)
    embedded = fonts(pdf)
    names = {base_name(font) for font in embedded}
    assert names, "no fonts found"
    assert all(name.startswith("Sarabun") for name in names), names
    for font in embedded:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base_name(font)} is not embedded"
    thai_fonts = fonts_carrying_thai(pdf)
    assert thai_fonts and all(name.startswith("Sarabun") for name in thai_fonts), thai_fonts


def test_the_font_check_would_catch_a_system_thai_font(db):
    # The machine has Debian's TLWG Thai fonts; text set in one of them must
    # show up as a non-Sarabun font carrying Thai, or the check above proves nothing.
    html = '<html lang="th"><body><p style="font-family: Garuda">สวัสดีครับ</p></body></html>'
    pdf = printing.html_to_pdf(html)
    assert any(not name.startswith("Sarabun") for name in fonts_carrying_thai(pdf))


def test_no_missing_glyphs(seed, manager_client, sarabun_chars, caplog):
    # Every character the sheet prints is in Sarabun, and WeasyPrint drew no .notdef box.
    indicator = with_sheet_relations().get(fiscal_year__year=2563, code="2100-1037")
    html = printing.sheet_html(
        printing.build_sheet(indicator), printing.PrintStamp(by="ผู้ทดสอบ", at=datetime.datetime.now(datetime.UTC))
    )
    visible = unescape(re.sub(r"<style.*?</style>|<[^>]+>", "", html, flags=re.S))
    missing = {ch for ch in visible if not ch.isspace() and ord(ch) not in sarabun_chars}
    assert not missing, missing
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        printing.html_to_pdf(html)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_one_bookmark_for_the_indicator(seed, manager_client):
    assert outline_titles(seed_sheet_pdf(manager_client)) == [(f"2100-1037 {SEED_TITLE}", 0)]


# --- long narratives ---------------------------------------------------

def long_narrative(length=50_000):
    """Numbered Thai sentences up to length characters, so a lost line shows
    as a missing number; the last sentence is a marker."""
    sentences, total, n = [], 0, 0
    last = "ประโยคสุดท้ายของรายงานฉบับยาวนี้จบลงที่นี่"
    while total < length - len(last) - 80:
        n += 1
        sentence = f"ข้อความลำดับที่ {n} รายงานความก้าวหน้าของการดำเนินงานตามแผนปฏิบัติราชการประจำปี"
        sentences.append(sentence)
        total += len(sentence) + 1
    sentences.append(last)
    return " ".join(sentences), n


# The footer's stamp and page number are laid over the cached sheet one after
# the other, so their text comes out on lines of their own.
RUNNING_LINES = re.compile(r"^(กรุงเทพมหานคร · .* · ตัวชี้วัด \S+|พิมพ์เมื่อ .* โดย .*|หน้า \d+ จาก \d+)$")


def body_text(pdf):
    """The text of all pages without the page header and footer, which repeat
    on every page between the lines of a narrative flowing over pages."""
    lines = [line for page in page_texts(pdf) for line in page.splitlines() if not RUNNING_LINES.match(line)]
    return thai_normal("".join(lines))


def test_50000_character_narrative_paginates_without_losing_a_line(db, manager_client):
    indicator = IndicatorFactory(owner=AgencyFactory(name="สำนักการทดสอบ", short_name="สทด."))
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("10"))
    text, count = long_narrative()
    assert len(text) >= 49_900
    NarrativeFactory(indicator=indicator, quarter=2, text=text)
    response = manager_client.get(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/sheet.pdf")
    assert response.status_code == 200
    pages = page_texts(response.content)
    assert len(pages) >= 10
    flowed = body_text(response.content)
    assert thai_normal(text) in flowed  # every line, in order
    assert thai_normal("ประโยคสุดท้ายของรายงานฉบับยาวนี้จบลงที่นี่") in thai_normal(pages[-1] + pages[-2])
    # What follows the narrative is still there after it.
    assert flowed.index(thai_normal(text)) < flowed.index(thai_normal("รายงานผลฯ ไตรมาสที่ 3"))


def test_headings_never_end_a_page(db, manager_client):
    indicator = IndicatorFactory()
    groups = DistrictGroupFactory.create_batch(6)
    # Many headings (quarters, district groups) over texts of uneven length
    # land at all sorts of places on the pages; none may be left at a page's foot.
    for quarter in (1, 2, 3, 4):
        NarrativeFactory(indicator=indicator, quarter=quarter, text=long_narrative(300 * quarter)[0])
        for n, group in enumerate(groups):
            text = long_narrative(170 + 130 * ((quarter * 7 + n * 3) % 9))[0]
            NarrativeFactory(indicator=indicator, quarter=quarter, district_group=group, text=text)
    pdf = manager_client.get(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/sheet.pdf").content
    headings = {thai_normal(h) for h in HEADINGS} | {thai_normal(g.name) for g in groups}
    pages = page_texts(pdf)
    assert len(pages) >= 4
    for page in pages[:-1]:
        body = [thai_normal(line) for line in page.splitlines() if line.strip() and not RUNNING_LINES.match(line)]
        assert body[-1] not in headings, body[-3:]


# --- permissions, as for the detail page -------------------------------

@pytest.mark.parametrize(
    "role, own_agency, expected",
    [
        ("manager", False, 200),
        ("evaluator", False, 200),
        ("administrator", False, 200),
        ("reporter", True, 200),
        ("reporter", False, 403),
        (None, False, 403),
    ],
)
def test_who_may_print_the_sheet(seed, client, make_user, role, own_agency, expected):
    agencies = [seed.owner] if own_agency else [AgencyFactory()]
    client.force_login(make_user(role, agencies=agencies))
    response = client.get(SHEET_URL)
    assert response.status_code == expected
    if expected == 403:
        assert response["Content-Type"] != "application/pdf"


def test_signed_out_visitor_is_sent_to_sign_in(seed, client):
    response = client.get(SHEET_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_indicator_is_404(seed, manager_client):
    assert manager_client.get("/indicators/2563/9999-9999/sheet.pdf").status_code == 404


def test_narrative_markup_is_printed_as_text(seed, manager_client):
    Narrative.objects.filter(indicator=seed, quarter=1, district_group=None).update(
        text='<img src="file:///etc/passwd"><b>ตัวหนา</b>'
    )
    text = pdf_text(seed_sheet_pdf(manager_client))
    assert thai_normal('<img src="file:///etc/passwd"><b>ตัวหนา</b>') in text


def test_printing_reads_the_sarabun_files_and_nothing_else(settings):
    fetcher = printing.LocalFontsOnly()
    font = (settings.SARABUN_DIR / "Sarabun-Regular.ttf").resolve().as_uri()
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    for url in ("file:///etc/passwd", font.replace("Sarabun-Regular.ttf", "../../../../etc/passwd"),
                "http://127.0.0.1:8013/", "https://example.com/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# Thai has no spaces between words; a line may only break between syllables.
FOLLOWING = set("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅ")  # never start a line: vowels and marks that follow a consonant
LEADING = set("เแโใไ")  # never end a line: vowels written before their consonant


def test_thai_lines_never_break_inside_a_syllable(seed, manager_client):
    lines = [line.strip() for page in page_texts(seed_sheet_pdf(manager_client)) for line in page.splitlines()]
    lines = [line for line in lines if line]
    assert len(lines) > 80
    assert not [line for line in lines if line[0] in FOLLOWING]
    assert not [line for line in lines if line[-1] in LEADING]


def test_sheet_runs_a_fixed_number_of_queries(db, manager_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = IndicatorFactory()
    url = f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/sheet.pdf"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    QuarterResultFactory(indicator=indicator, quarter=1)
    NarrativeFactory(indicator=indicator, quarter=1)
    small = queries()
    for quarter in (2, 3, 4):
        QuarterResultFactory(indicator=indicator, quarter=quarter)
        NarrativeFactory(indicator=indicator, quarter=quarter)
    for group in DistrictGroupFactory.create_batch(4):
        NarrativeFactory(indicator=indicator, quarter=4, district_group=group)
    # 11: the sheet lists the indicator's projects (one query, whatever their number).
    # 13: each quarter's evidence checklist (the items and the waivers, one query each).
    assert queries() == small <= 13


def test_sheet_lists_each_quarters_evidence_like_the_page(seed, manager_client):
    from django.utils import timezone

    from reports.models import Evidence

    def attach(quarter, name):
        return Evidence.objects.create(indicator=seed, quarter=quarter, file="evidence/x", original_name=name,
                                       content_type="application/pdf", size=2048)

    attach(2, "หนังสือเชิญประชุม.pdf")
    removed = attach(3, "ไฟล์ที่ลบแล้ว.pdf")
    Evidence.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    text = pdf_text(seed_sheet_pdf(manager_client))
    q2, q3 = text.index(thai_normal("รายงานผลฯ ไตรมาสที่ 2")), text.index(thai_normal("รายงานผลฯ ไตรมาสที่ 3"))
    assert q2 < text.index(thai_normal("หนังสือเชิญประชุม.pdf")) < q3
    assert thai_normal("ไฟล์ที่ลบแล้ว.pdf") not in text
