"""A book of indicator sheets: /reports/book/ (the filter form), posted to
/reports/book/jobs/, made by a print job (tasks run at once in the tests)
and downloaded from the job."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import (
    AgencyFactory,
    DistrictGroupFactory,
    FiscalYearFactory,
    IndicatorFactory,
    NarrativeFactory,
    QuarterResultFactory,
    StrategyNodeFactory,
)
from .pdf_inspect import fonts_carrying_thai, outline_titles, page_texts, pdf_text, reader, thai_normal

BOOK_URL = "/reports/book.pdf"
JOB_URL = "/reports/book/jobs/"


def make_indicators(count, owner, year, **kwargs):
    """Indicators with a quarter and a narrative each, as a sheet has."""
    indicators = []
    for n in range(count):
        indicator = IndicatorFactory(owner=owner, fiscal_year=year, name=f"ร้อยละของงานที่สำเร็จตามแผน ชุดที่ {n}", **kwargs)
        QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal(10 + n))
        NarrativeFactory(indicator=indicator, quarter=1, text=f"รายงานผลของตัวชี้วัดชุดที่ {n}")
        indicators.append(indicator)
    return indicators


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2570)


def get_book(client, **params):
    """The book as its job makes it, or the refusal of the request."""
    from jobs.models import Job

    response = client.post(JOB_URL, params)
    if response.status_code != 302:
        return response
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.status == Job.Status.DONE, job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    return SimpleNamespace(status_code=200, content=b"".join(download.streaming_content),
                           headers=download.headers)


def test_seed_book_for_the_strategy_department(seed, manager_client):
    response = get_book(manager_client, year=2563, agency="2100")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    assert thai_normal("รายละเอียดตัวชี้วัด ปีงบประมาณ 2563") in text
    assert thai_normal("หน่วยงาน สำนักยุทธศาสตร์และประเมินผล (สยป.)") in text
    assert thai_normal("สารบัญ") in text
    assert thai_normal("กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่ : 2100-1037") in text
    titles = outline_titles(pdf)
    assert [title for title, _page in titles] == [
        "2100-1037 กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่"
    ]
    assert {name.split("-")[0] for name in fonts_carrying_thai(pdf)} == {"Sarabun"}


def test_book_of_n_has_cover_contents_with_page_numbers_and_n_bookmarks(year, manager_client, monkeypatch):
    from reports import printing

    monkeypatch.setattr(printing, "BOOK_RUN", 2)  # lay the sheets out in several runs, joined
    owner = AgencyFactory(code="7700", short_name="สทน.")
    indicators = make_indicators(5, owner, year)
    NarrativeFactory(indicator=indicators[1], quarter=2, text="ข้อความยาว " * 900)  # a sheet of several pages
    response = get_book(manager_client, year=2570, agency="7700")
    assert response.status_code == 200
    pdf = response.content
    pages = page_texts(pdf)

    # Cover, then the contents, then the sheets.
    assert thai_normal("รายละเอียดตัวชี้วัด ปีงบประมาณ 2570") in thai_normal(pages[0])
    assert thai_normal(f"5 ตัวชี้วัด · {len(pages)} หน้า") in thai_normal(pages[0])
    assert thai_normal("สารบัญ") in thai_normal(pages[1])

    bookmarks = outline_titles(pdf)
    assert [title for title, _ in bookmarks] == [f"{i.code} {i.name}" for i in indicators]
    for indicator, (_title, page_index) in zip(indicators, bookmarks, strict=True):
        page = thai_normal(pages[page_index])
        # Each sheet starts a new page: its title is at the top of its bookmarked page.
        assert page.startswith(thai_normal(f"รายละเอียดตัวชี้วัด{indicator.name}:{indicator.code}"))
        # The contents give that page's number (1-based) on the indicator's row.
        row = next(line for line in pages[1].splitlines() if f" {indicator.code} " in line)
        assert row.endswith(f"สทน. {page_index + 1}"), row
    starts = [p for _, p in bookmarks]
    assert starts[2] - starts[1] >= 2  # the long sheet took more than one page
    # Pages carry the book's numbers, on across the runs.
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"หน้า {number}$", page), page[-80:]
    # The contents' rows link to the sheets' first pages.
    assert contents_links(pdf) == {start for start in starts}


def contents_links(pdf_bytes):
    pdf = reader(pdf_bytes)
    index = {page.indirect_reference.idnum: i for i, page in enumerate(pdf.pages)}
    return {
        index[annotation.get_object()["/Dest"][0].idnum]
        for annotation in pdf.pages[1].get("/Annots", [])
    }


def test_book_by_district_group_holds_its_district_offices(year, manager_client):
    group, other = DistrictGroupFactory(code="g-north"), DistrictGroupFactory()
    inside = make_indicators(2, AgencyFactory(district_group=group), year)
    outside = make_indicators(1, AgencyFactory(district_group=other), year)
    pdf = get_book(manager_client, year=2570, district_group="g-north").content
    codes = [title.split()[0] for title, _ in outline_titles(pdf)]
    assert codes == [i.code for i in inside]
    assert outside[0].code not in pdf_text(pdf)


def test_book_by_strategy_dimension_holds_indicators_under_it(year, manager_client):
    dimension = StrategyNodeFactory(level=1, code="8")
    goal = StrategyNodeFactory(level=3, code="8.1.1", parent=StrategyNodeFactory(level=2, code="8.1", parent=dimension))
    objective = StrategyNodeFactory(level=4, code="8.1.1.1", parent=goal)
    elsewhere = StrategyNodeFactory(level=1, code="9")
    owner = AgencyFactory()
    under, directly, outside = make_indicators(3, owner, year)
    under.strategy_nodes.add(objective)
    directly.strategy_nodes.add(dimension, objective)  # linked twice: printed once
    outside.strategy_nodes.add(elsewhere)
    pdf = get_book(manager_client, year=2570, dimension="8").content
    assert [title.split()[0] for title, _ in outline_titles(pdf)] == sorted([under.code, directly.code])
    text = pdf_text(pdf)
    assert thai_normal("ด้านที่ ๘") in text


def test_book_loads_its_indicators_in_a_fixed_number_of_queries(year, make_user):
    from reports import printing

    owner = AgencyFactory(code="7800")
    group = DistrictGroupFactory()
    node = StrategyNodeFactory(level=4, code="8.1.1.9", parent=None)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            printing.book_indicators(printing.book_queryset(manager_user, year, {"agency": owner}))
        return len(ctx.captured_queries)

    manager_user = make_user("manager")
    for indicator in make_indicators(2, owner, year):
        indicator.strategy_nodes.add(node)
    queries()  # the user's roles are looked up once, then cached on the user
    small = queries()
    for indicator in make_indicators(8, owner, year):
        indicator.strategy_nodes.add(node)
        for quarter in (2, 3, 4):
            QuarterResultFactory(indicator=indicator, quarter=quarter)
        NarrativeFactory(indicator=indicator, quarter=4, district_group=group, text="ส่วนของกลุ่มเขต")
    # 8: each sheet's evidence checklist (the items and the waivers, one query each, whatever the book's size).
    assert queries() == small <= 8


# --- the form, its errors and permissions ---------------------------------

def test_book_form_page(seed, manager_client):
    response = manager_client.get("/reports/book/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/reports/book/jobs/"' in html and 'method="post"' in html
    for name in ("year", "agency", "district_group", "dimension"):
        assert f'name="{name}"' in html
    from indicators.models import FiscalYear

    latest = FiscalYear.objects.order_by("-year").first().year
    assert f'<option value="{latest}" selected>' in html  # the latest year is offered first


def test_navigation_links_to_the_book_form(seed, manager_client):
    assert 'href="/reports/book/"' in manager_client.get("/").content.decode()


def test_the_form_names_its_empty_choices_and_says_how_many_sheets(seed, manager_client):
    html = manager_client.get("/reports/book/?year=2563").content.decode()
    assert "---------" not in html
    for empty in ("ทุกหน่วยงาน", "ทุกกลุ่มเขต", "ทุกด้านยุทธศาสตร์"):
        assert f'<option value="" selected>{empty}</option>' in html
    assert re.search(r'<p id="book-size"[^>]*>จะได้ 1 แผ่น \(หนึ่งแผ่นต่อตัวชี้วัด\)</p>', html)


def test_the_count_answers_live_from_the_books_own_selection(seed, manager_client):
    def count(**params):
        return manager_client.get("/reports/book/count.json", params).json()

    assert count(year=2563) == {"text": "จะได้ 1 แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)", "printable": True}
    assert count(year=2563, agency="2100", dimension="5")["text"] == "จะได้ 1 แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)"
    assert count(year=2563, agency="50100000") == {"text": "ไม่มีตัวชี้วัดตามเงื่อนไขที่เลือก",
                                                      "printable": False}
    outside = count(year=2563, agency="2100", district_group="bangkok-east")
    assert outside["printable"] is False and "ไม่อยู่ในกลุ่ม" in outside["text"]


@pytest.mark.parametrize("params", [{"year": 2563}, {"year": 2563, "agency": "2100", "dimension": "5"}])
def test_a_whole_year_or_filters_together_make_a_book(seed, manager_client, params):
    response = get_book(manager_client, **params)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_agency_outside_the_chosen_district_group_is_refused_in_thai(seed, manager_client):
    response = get_book(manager_client, year=2563, agency="2100", district_group="bangkok-east")
    assert response.status_code == 400
    assert "ไม่อยู่ในกลุ่ม" in response.content.decode()


def test_a_filter_with_no_indicators_says_so(seed, manager_client):
    response = get_book(manager_client, year=2563, agency="50100000")
    assert response.status_code == 404
    assert "ไม่มีตัวชี้วัดตามเงื่อนไขที่เลือก" in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "evaluator"])
def test_managers_and_evaluators_print_any_agency(seed, client, make_user, role):
    client.force_login(make_user(role))
    assert get_book(client, year=2563, agency="2100").status_code == 200


def test_reporter_prints_own_agency_but_not_another(seed, client, make_user):
    client.force_login(make_user("reporter", agencies=[seed.owner]))
    assert get_book(client, year=2563, agency="2100").status_code == 200
    other = AgencyFactory(code="7900")
    IndicatorFactory(owner=other, fiscal_year=seed.fiscal_year)
    assert get_book(client, year=2563, agency="7900").status_code == 403


def test_reporter_book_by_dimension_holds_only_their_indicators(seed, client, make_user):
    other = AgencyFactory()
    foreign = IndicatorFactory(owner=other, fiscal_year=seed.fiscal_year, code="7999-0001")
    foreign.strategy_nodes.add(*seed.strategy_nodes.all())
    client.force_login(make_user("reporter", agencies=[seed.owner]))
    pdf = get_book(client, year=2563, dimension="5").content
    assert [title.split()[0] for title, _ in outline_titles(pdf)] == ["2100-1037"]


def test_reporter_form_offers_only_their_agencies(seed, client, make_user):
    client.force_login(make_user("reporter", agencies=[seed.owner]))
    html = client.get("/reports/book/").content.decode()
    select = html[html.index('name="agency"'):]
    select = select[:select.index("</select>")]
    assert 'value="2100"' in select and 'value="50100000"' not in select


def test_user_without_a_role_gets_no_indicators(seed, client, make_user):
    client.force_login(make_user(None))
    assert get_book(client, year=2563, dimension="5").status_code == 404
    assert get_book(client, year=2563, agency="2100").status_code == 403


def test_membership_without_the_reporter_role_is_not_enough_for_an_agencys_book(seed, client, make_user):
    # The same rule as its indicators and its scorecard (permissions.can_view_agency).
    client.force_login(make_user(None, agencies=[seed.owner]))
    assert get_book(client, year=2563, agency=seed.owner.code).status_code == 403
    assert client.get(f"/scorecards/2563/{seed.owner.code}/").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(seed, client):
    for url in ("/reports/book/", BOOK_URL + "?year=2563&agency=2100", "/jobs/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(JOB_URL, {"year": 2563, "agency": "2100"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_old_book_address_leads_to_the_form_filled_in(seed, manager_client):
    response = manager_client.get(BOOK_URL, {"year": 2563, "agency": "2100"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/book/?year=2563&agency=2100"
    html = manager_client.get(response["Location"]).content.decode()
    assert '<option value="2100" selected>' in html


def test_a_book_too_large_asks_for_a_narrower_filter(year, manager_client, monkeypatch):
    from reports import printing

    monkeypatch.setattr(printing, "MAX_BOOK_INDICATORS", 2)
    owner = AgencyFactory(code="7600")
    make_indicators(3, owner, year)
    response = get_book(manager_client, year=2570, agency="7600")
    assert response.status_code == 400
    assert "กรุณาเลือกให้แคบลง" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
