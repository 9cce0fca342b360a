"""The indicator list at /: year selector, filters, Thai search, sorting,
pagination, shareable URLs and who sees what."""

import re
from decimal import Decimal

import pytest

from indicators.models import QuarterResult

from .factories import (
    AgencyFactory,
    DistrictGroupFactory,
    FiscalYearFactory,
    IndicatorFactory,
    QuarterResultFactory,
    StrategyNodeFactory,
)
from .helpers import codes, page_text
from .pytest_fixtures import SEED_URL

pytestmark = pytest.mark.django_db



@pytest.fixture
def world(db):
    """Two years; in the latest, indicators spread over agencies, groups,
    strategy nodes, categories and statuses."""
    old, year = FiscalYearFactory(year=2568), FiscalYearFactory(year=2569)
    north, south = DistrictGroupFactory(code="north", name="กลุ่มเหนือ"), DistrictGroupFactory(code="south")
    dept = AgencyFactory(code="2200", name="สำนักการแพทย์")
    district = AgencyFactory(code="5030", name="สำนักงานเขตจตุจักร", kind="district_office", district_group=north)
    other = AgencyFactory(code="5040", name="สำนักงานเขตบางรัก", kind="district_office", district_group=south)
    dim = StrategyNodeFactory(level=1, code="1", title="มหานครปลอดภัย")
    sub = StrategyNodeFactory(level=2, code="1.1", title="ปลอดมลพิษ", parent=dim)
    goal = StrategyNodeFactory(level=3, code="1.1.1", title="ลดขยะ", parent=sub)
    objective = StrategyNodeFactory(level=4, code="1.1.1.1", title="คัดแยกขยะ", parent=goal)
    other_dim = StrategyNodeFactory(level=1, code="2", title="มหานครสีเขียว")

    def make(code, name, owner, category="ตัวชี้วัดเชิงยุทธศาสตร์", node=None, results=(), target="6"):
        ind = IndicatorFactory(fiscal_year=year, code=code, name=name, owner=owner, category=category,
                               annual_target=Decimal(target))
        if node:
            ind.strategy_nodes.add(node)
        for quarter, value, confirmed in results:
            QuarterResultFactory(indicator=ind, quarter=quarter, value=value, score_confirmed=confirmed)
        return ind

    met = make("2200-0001", "ร้อยละของปริมาณขยะมูลฝอยที่ลดลง", dept, node=objective,
               results=[(1, Decimal("3"), 100), (4, Decimal("7"), 100)])
    not_met = make("5030-0001", "จำนวนชุมชนที่มีแผนพัฒนาชุมชน", district, category="ตัวชี้วัดตามภารกิจประจำ",
                   node=other_dim, results=[(4, Decimal("2"), 40)])
    pending = make("5040-0001", "จำนวนต้นไม้ที่ปลูกในพื้นที่เขต", other, node=sub,
                   results=[(1, Decimal("1"), None)])
    silent = make("5040-0002", "จำนวนคลองที่ได้รับการขุดลอก", other)
    IndicatorFactory(fiscal_year=old, code="OLD-0001", name="ตัวชี้วัดปีก่อน", owner=dept)
    return {"year": year, "met": met, "not_met": not_met, "pending": pending, "silent": silent,
            "dept": dept, "district": district, "other": other, "north": north, "dim": dim, "sub": sub,
            "goal": goal, "objective": objective}


def test_seed_indicator_is_listed_with_its_sheet_link(seed, manager_client):
    page = manager_client.get("/?year=2563")
    assert codes(page) == ["2100-1037"]
    assert SEED_URL in page.content.decode()
    assert "รอการประเมิน" in page_text(page)  # quarter 4 not scored in the seed


def test_latest_year_by_default_and_year_selector(world, manager_client):
    assert codes(manager_client.get("/")) == ["2200-0001", "5030-0001", "5040-0001", "5040-0002"]
    assert codes(manager_client.get("/?year=2568")) == ["OLD-0001"]
    assert "ตัวชี้วัด ปีงบประมาณ 2569" in page_text(manager_client.get("/"))


def test_filter_by_agency_and_district_group(world, manager_client):
    assert codes(manager_client.get(f"/?agency={world['other'].code}")) == ["5040-0001", "5040-0002"]
    assert codes(manager_client.get("/?group=north")) == ["5030-0001"]


@pytest.mark.parametrize("node, expected", [
    ("1", ["2200-0001", "5040-0001"]),      # dimension: everything below it
    ("1.1", ["2200-0001", "5040-0001"]),    # sub-dimension
    ("1.1.1", ["2200-0001"]),               # goal
    ("1.1.1.1", ["2200-0001"]),             # objective
    ("2", ["5030-0001"]),
])
def test_filter_by_strategy_node_at_any_level(world, manager_client, node, expected):
    assert codes(manager_client.get(f"/?strategy={node}")) == expected


def test_filter_by_category(world, manager_client):
    assert codes(manager_client.get("/?category=ตัวชี้วัดตามภารกิจประจำ")) == ["5030-0001"]


@pytest.mark.parametrize("status, expected", [
    ("met", ["2200-0001"]),
    ("not_met", ["5030-0001"]),
    ("pending", ["5040-0001"]),
    ("not_reported", ["5040-0002"]),
])
def test_filter_by_year_status(world, manager_client, status, expected):
    response = manager_client.get(f"/?status={status}")
    assert codes(response) == expected


def test_status_as_of_an_earlier_quarter(world, manager_client):
    # In quarter 1 only the first indicator was reported and confirmed (3 of 6: not met).
    assert codes(manager_client.get("/?quarter=1&status=not_met")) == ["2200-0001"]
    assert codes(manager_client.get("/?quarter=1&status=pending")) == ["5040-0001"]
    assert "สถานะ ณ ไตรมาสที่ 1" in page_text(manager_client.get("/?quarter=1"))


def test_rows_show_status_and_achieved(world, manager_client):
    page = page_text(manager_client.get("/"))
    assert "บรรลุเป้าหมาย" in page and "ไม่บรรลุเป้าหมาย" in page and "รอการประเมิน" in page
    assert "ยังไม่รายงาน" in page


@pytest.mark.parametrize("query, expected", [
    ("ขยะ", ["2200-0001"]),             # a Thai word in the middle of a name without spaces
    ("ต้นไม้ที่ปลูก", ["5040-0001"]),
    ("แผนพัฒนา", ["5030-0001"]),
    ("5040", ["5040-0001", "5040-0002"]),  # by code
    ("2200-0001", ["2200-0001"]),
    ("ไม่มีคำนี้", []),
])
def test_search_by_code_and_thai_words(world, manager_client, query, expected):
    assert codes(manager_client.get("/", {"q": query})) == expected


def test_filters_combine(world, manager_client):
    assert codes(manager_client.get(f"/?agency={world['other'].code}&q=คลอง")) == ["5040-0002"]


def test_sorting(world, manager_client):
    assert codes(manager_client.get("/?sort=-code")) == ["5040-0002", "5040-0001", "5030-0001", "2200-0001"]
    by_name = codes(manager_client.get("/?sort=name"))
    names = {"2200-0001": "ร้อยละ", "5030-0001": "จำนวนชุมชน", "5040-0001": "จำนวนต้นไม้", "5040-0002": "จำนวนคลอง"}
    assert by_name == sorted(names, key=lambda c: {
        "2200-0001": "ร้อยละของปริมาณขยะมูลฝอยที่ลดลง", "5030-0001": "จำนวนชุมชนที่มีแผนพัฒนาชุมชน",
        "5040-0001": "จำนวนต้นไม้ที่ปลูกในพื้นที่เขต", "5040-0002": "จำนวนคลองที่ได้รับการขุดลอก"}[c])
    assert codes(manager_client.get("/?sort=agency")) == ["2200-0001", "5030-0001", "5040-0001", "5040-0002"]


def test_sorting_by_result_achievement_and_status(world, manager_client):
    # Achieved 7, 2, 1 and nothing against targets of 6: 100 %, 33.33 %, 16.67 %.
    assert codes(manager_client.get("/?sort=result")) == ["5040-0001", "5030-0001", "2200-0001", "5040-0002"]
    assert codes(manager_client.get("/?sort=-result")) == ["2200-0001", "5030-0001", "5040-0001", "5040-0002"]
    assert codes(manager_client.get("/?sort=achievement")) == ["5040-0001", "5030-0001", "2200-0001", "5040-0002"]
    assert codes(manager_client.get("/?sort=-achievement")) == ["2200-0001", "5030-0001", "5040-0001", "5040-0002"]
    # Met, not met, pending, not reported; at quarter 1 only two have a result.
    assert codes(manager_client.get("/?sort=status")) == ["2200-0001", "5030-0001", "5040-0001", "5040-0002"]
    assert codes(manager_client.get("/?sort=-status")) == ["5040-0002", "5040-0001", "5030-0001", "2200-0001"]
    assert codes(manager_client.get("/?sort=status&quarter=1")) == ["2200-0001", "5040-0001", "5030-0001", "5040-0002"]
    text = page_text(manager_client.get("/?sort=-achievement"))
    assert "ร้อยละความสำเร็จ" in text and "33.33" in text and "16.67" in text


def test_sort_menu_is_thai_in_both_directions(world, manager_client):
    html = manager_client.get("/").content.decode()
    select = re.search(r'<select[^>]*name="sort"[^>]*>(.*?)</select>', html, re.S).group(1)
    labels = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))
    assert labels["code"] == "รหัส (น้อยไปมาก)" and labels["-code"] == "รหัส (มากไปน้อย)"
    for param in ("result", "-result", "achievement", "-achievement", "status", "-status"):
        assert param in labels
    assert not [label for label in labels.values() if re.search(r"[A-Za-z]", label)], labels


def test_pagination_keeps_the_filters(db, manager_client):
    year = FiscalYearFactory(year=2569)
    owner = AgencyFactory()
    for n in range(60):
        IndicatorFactory(fiscal_year=year, owner=owner, code=f"P-{n:03d}", name=f"ตัวชี้วัดทดสอบ {n}")
    first = manager_client.get("/?q=ทดสอบ")
    assert len(codes(first)) == 50
    assert "พบ 60 ตัวชี้วัด" in page_text(first)
    html = first.content.decode()
    assert "page=2" in html and "q=%E0%B8%97" in html  # the next-page link carries the search
    second = manager_client.get("/?q=ทดสอบ&page=2")
    assert codes(second) == [f"P-{n:03d}" for n in range(50, 60)]


def test_export_links_carry_the_effective_filters(world, manager_client):
    html = manager_client.get(f"/?agency={world['other'].code}").content.decode()
    link = re.search(r'href="(/indicators/export\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "year=2569" in link and f"agency={world['other'].code}" in link


def test_bad_filter_value_shows_nothing_and_does_not_crash(world, manager_client):
    response = manager_client.get("/?year=1999&status=bogus")
    assert response.status_code == 200
    assert codes(response) == []


# --- who sees what ----------------------------------------------------------

def test_reporter_sees_only_their_agencies(world, client, make_user):
    client.force_login(make_user("reporter", agencies=[world["other"]]))
    assert codes(client.get("/")) == ["5040-0001", "5040-0002"]
    # a filter cannot widen what one may see
    assert codes(client.get(f"/?agency={world['dept'].code}")) == []


@pytest.mark.parametrize("role", ["evaluator", "manager", "administrator"])
def test_readers_see_everything(world, client, make_user, role):
    client.force_login(make_user(role))
    assert len(codes(client.get("/"))) == 4


def test_user_without_role_sees_nothing(world, client, make_user):
    client.force_login(make_user(None))
    assert codes(client.get("/")) == []


def test_signed_out_visitor_goes_to_sign_in(world, client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_names_are_escaped(world, manager_client):
    world["met"].name = '<script>alert("x")</script>ขยะ'
    world["met"].save()
    html = manager_client.get("/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_status_column_agrees_with_quarter_results_changes(world, manager_client):
    QuarterResult.objects.filter(indicator=world["pending"]).update(score_confirmed=Decimal("10"))
    QuarterResultFactory(indicator=world["pending"], quarter=4, value=Decimal("9"), score_confirmed=Decimal("100"))
    assert "5040-0001" in codes(manager_client.get("/?status=met"))


def test_filter_choices_are_escaped(world, manager_client):
    AgencyFactory(code="9999", short_name="", name='<b onmouseover="x">สำนักทดสอบ</b>')
    html = manager_client.get("/").content.decode()
    assert '<b onmouseover="x">' not in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;สำนักทดสอบ&lt;/b&gt;" in html
