"""The JSON API at /api/v1/: personal tokens see what their owners' pages
show and nothing more; revoked, expired or unknown tokens are refused;
filters are the list's; pagination, ETag / Last-Modified, rate limits."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import ApiToken
from evaluation import services
from indicators import rules
from indicators.models import FiscalYear, Indicator, QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, StrategyNodeFactory, UserFactory

D = Decimal
S = QuarterResult.Status


@pytest.fixture
def world(db):
    """Two agencies in a published year, each with an indicator whose
    quarter 1 is accepted and quarter 2 submitted (98765), and an
    unpublished year."""
    year = FiscalYearFactory(year=2569, published=True)
    unpublished = FiscalYearFactory(year=2570, published=False)
    own, other = AgencyFactory(code="7100"), AgencyFactory(code="7200")
    node = StrategyNodeFactory(code="9", title="ด้านทดสอบ API")
    indicators = {}
    for agency in (own, other):
        indicator = IndicatorFactory(fiscal_year=year, owner=agency, code=f"{agency.code}-0001",
                                     annual_target=D("100"), aggregation=rules.CUMULATIVE)
        indicator.strategy_nodes.add(node)
        QuarterResult.objects.create(indicator=indicator, quarter=1, value=D("40"), status=S.ACCEPTED,
                                     score_self=D("40"), score_confirmed=D("40"))
        QuarterResult.objects.create(indicator=indicator, quarter=2, value=D("98765"), status=S.SUBMITTED)
        indicators[agency.code] = indicator
    later = IndicatorFactory(fiscal_year=unpublished, owner=own, code="7100-0002")
    return {"own": own, "other": other, "indicators": indicators, "later": later, "year": year}


def bearer(user, name="ทดสอบ", days=None):
    _token, raw = ApiToken.issue(user, name, days)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, (json.loads(response.content) if response.content else None)


def codes(data):
    return sorted(item["code"] for item in data["results"])


def test_anonymous_clients_get_the_public_data(client, world):
    response, data = get(client, "/api/v1/indicators/")
    assert response.status_code == 200 and codes(data) == ["7100-0001", "7200-0001"]
    assert data["results"][0]["quarters"][1]["value"] is None
    assert data["results"][0]["quarters"][1]["status"] == "pending"
    _response, years = get(client, "/api/v1/fiscal-years/")
    assert [y["year"] for y in years["results"]] == [2569]


def test_a_reporters_token_sees_their_agencys_indicators_as_their_pages(client, world):
    reporter = UserFactory(role="reporter", agencies=[world["own"]])
    auth = bearer(reporter)
    # The latest year by default, as the list page: their unpublished 2570.
    response, data = get(client, "/api/v1/indicators/", **auth)
    assert response.status_code == 200 and codes(data) == ["7100-0002"]
    response, data = get(client, "/api/v1/indicators/?year=2569", **auth)
    assert response.status_code == 200 and codes(data) == ["7100-0001"]
    # As on the staff pages: the submitted quarter's figure and workflow status.
    quarter = data["results"][0]["quarters"][1]
    assert quarter["value"] == 98765 and quarter["status"] == "submitted"
    assert get(client, "/api/v1/indicators/2569/7100-0001/", **auth)[0].status_code == 200
    assert get(client, "/api/v1/indicators/2569/7200-0001/", **auth)[0].status_code == 404
    _response, data = get(client, "/api/v1/quarter-results/?year=2569", **auth)
    assert {row["code"] for row in data["results"]} == {"7100-0001"} and data["count"] == 4
    # Their own agency's scorecard, not another's, not the ranking.
    assert get(client, "/api/v1/scorecards/2569/7100/", **auth)[0].status_code == 200
    assert get(client, "/api/v1/scorecards/2569/7200/", **auth)[0].status_code == 404
    assert get(client, "/api/v1/scorecards/2569/", **auth)[0].status_code == 404


NOT_FOUND = {"detail": "ไม่พบ"}


@pytest.mark.parametrize("caller, url, expected", [
    # A reporter's token of agency 7100: its own, another agency's, missing ones.
    ("reporter", "/api/v1/indicators/2569/7100-0001/", 200),
    ("reporter", "/api/v1/indicators/2569/7200-0001/", 404),
    ("reporter", "/api/v1/indicators/2569/7100-9999/", 404),
    ("reporter", "/api/v1/indicators/2599/7100-0001/", 404),
    ("reporter", "/api/v1/scorecards/2569/7100/", 200),
    ("reporter", "/api/v1/scorecards/2569/7200/", 404),
    ("reporter", "/api/v1/scorecards/2569/7999/", 404),
    ("reporter", "/api/v1/scorecards/2599/7100/", 404),
    ("reporter", "/api/v1/scorecards/2569/", 404),
    ("reporter", "/api/v1/scorecards/2599/", 404),
    # A token whose owner has no role sees no indicator and no scorecard.
    ("no role", "/api/v1/indicators/2569/7100-0001/", 404),
    ("no role", "/api/v1/scorecards/2569/7100/", 404),
    # A manager's token: everything there is, and a missing one is missing.
    ("manager", "/api/v1/indicators/2569/7200-0001/", 200),
    ("manager", "/api/v1/scorecards/2569/", 200),
    ("manager", "/api/v1/scorecards/2599/", 404),
    ("manager", "/api/v1/scorecards/2569/7999/", 404),
    # Anonymous: an unpublished year's indicator is as missing as a made-up one.
    ("anonymous", "/api/v1/indicators/2569/7100-0001/", 200),
    ("anonymous", "/api/v1/indicators/2570/7100-0002/", 404),
    ("anonymous", "/api/v1/indicators/2570/7100-9999/", 404),
])
def test_what_a_caller_may_not_see_is_answered_as_missing(client, world, caller, url, expected):
    """Every detail endpoint: 404 with the very body of a missing code for
    anything the caller may not see, so the answer never confirms that
    another agency's indicator (or an unpublished year's) exists."""
    users = {"reporter": lambda: UserFactory(role="reporter", agencies=[world["own"]]),
             "no role": lambda: UserFactory(), "manager": lambda: UserFactory(role="manager")}
    auth = bearer(users[caller]()) if caller in users else {}
    response, data = get(client, url, **auth)
    assert response.status_code == expected, (caller, url, data)
    if expected == 404:
        assert data == NOT_FOUND and response["Content-Type"] == "application/json"


def test_a_managers_token_sees_everything_a_manager_sees(client, world):
    auth = bearer(UserFactory(role="manager"))
    _response, data = get(client, "/api/v1/indicators/?year=2569", **auth)
    assert codes(data) == ["7100-0001", "7200-0001"]
    response, ranking = get(client, "/api/v1/scorecards/2569/", **auth)
    assert response.status_code == 200 and {s["agency_code"] for s in ranking["standings"]} == {"7100", "7200"}
    response, card = get(client, "/api/v1/scorecards/2569/7200/", **auth)
    assert response.status_code == 200 and card["rows"][0]["code"] == "7200-0001"
    _response, years = get(client, "/api/v1/fiscal-years/", **auth)
    assert [y["year"] for y in years["results"]] == [2570, 2569]


def test_a_token_of_a_user_without_a_role_sees_nothing(client, world):
    auth = bearer(UserFactory())
    response, data = get(client, "/api/v1/indicators/?year=2569", **auth)
    assert response.status_code == 200 and data["count"] == 0
    assert get(client, "/api/v1/indicators/2569/7100-0001/", **auth)[0].status_code == 404


def test_revoked_expired_unknown_and_inactive_tokens_are_refused(client, world):
    user = UserFactory(role="manager")
    token, raw = ApiToken.issue(user, "ทดสอบ")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert get(client, "/api/v1/indicators/", **auth)[0].status_code == 200
    token.revoke()
    response, data = get(client, "/api/v1/indicators/", **auth)
    assert response.status_code == 401 and data["detail"] == "โทเค็นนี้ถูกเพิกถอนแล้ว"
    assert response["WWW-Authenticate"].startswith("Bearer")
    # Not served as anonymous either.
    assert get(client, "/api/v1/fiscal-years/", **auth)[0].status_code == 401

    expired, raw = ApiToken.issue(user, "หมดอายุ", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert get(client, "/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {raw}")[0].status_code == 401

    assert get(client, "/api/v1/indicators/", HTTP_AUTHORIZATION="Bearer kpi_not-a-token")[0].status_code == 401
    assert get(client, "/api/v1/indicators/", HTTP_AUTHORIZATION="Bearer")[0].status_code == 401

    _token, raw = ApiToken.issue(user, "ผู้ใช้ถูกระงับ")
    user.is_active = False
    user.save()
    assert get(client, "/api/v1/indicators/", HTTP_AUTHORIZATION=f"Token {raw}")[0].status_code == 401


def test_a_revoked_tokens_cached_answers_are_not_served(client, world):
    """The cache is keyed by who asks, but authentication comes first."""
    token, raw = ApiToken.issue(UserFactory(role="manager"), "ทดสอบ")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.get("/api/v1/indicators/", **auth)
    token.revoke()
    again = client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=first["ETag"], **auth)
    assert again.status_code == 401


def test_only_a_digest_is_stored_and_use_is_recorded(client, world):
    token, raw = ApiToken.issue(UserFactory(role="manager"), "ทดสอบ")
    assert raw.startswith("kpi_") and raw not in (token.digest, token.shown) and raw.startswith(token.shown)
    assert token.last_used_at is None
    client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_filters_are_the_lists_codes(client, world):
    _response, data = get(client, "/api/v1/indicators/?agency=7200")
    assert codes(data) == ["7200-0001"]
    _response, data = get(client, "/api/v1/indicators/?q=7100")
    assert codes(data) == ["7100-0001"]
    _response, data = get(client, "/api/v1/indicators/?strategy=9&sort=-code")
    assert [item["code"] for item in data["results"]] == ["7200-0001", "7100-0001"]
    # Public status at quarter 2: pending (submitted), at quarter 1: not met (40 of 100).
    assert get(client, "/api/v1/indicators/?quarter=2&status=pending")[1]["count"] == 2
    assert get(client, "/api/v1/indicators/?quarter=1&status=not_met")[1]["count"] == 2
    # The staff list's "not reported" is not a public status: no public indicator has it.
    response, data = get(client, "/api/v1/indicators/?status=not_reported")
    assert response.status_code == 200 and data["count"] == 0
    _response, data = get(client, "/api/v1/quarter-results/?agency=7100&of_quarter=1")
    assert data["count"] == 1 and data["results"][0]["value"] == 40


@pytest.mark.parametrize("query", [
    "year=2599", "agency=nope", "group=nowhere", "strategy=99.9",
    pytest.param("category=ไม่มีประเภทนี้", id="category"),
    "year=2570",  # unpublished: as missing for the public
    "status=not_reported",  # not a public status
])
def test_a_filter_value_that_names_nothing_selects_nothing(client, world, query):
    """Years, agencies, groups, nodes and categories are data, not enums of
    the schema: a value naming none is an empty list, as a search matching
    nothing, for both list endpoints."""
    for endpoint in ("indicators", "quarter-results"):
        response, data = get(client, f"/api/v1/{endpoint}/?{query}")
        assert response.status_code == 200, (endpoint, query, data)
        assert data == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("query, field, message", [
    pytest.param("page_size=null", "page_size", "จำนวนต่อหน้าต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", id="page_size=null"),
    pytest.param("page_size=0", "page_size", "จำนวนต่อหน้าต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป", id="page_size=0"),
    pytest.param("year=abc", "year", "ต้องการค่าจำนวนเต็มที่ถูกต้อง", id="year=abc"),
    pytest.param("status=bogus", "status", "เลือกตัวเลือกที่ถูกต้อง. bogus ไม่ใช่ตัวเลือกที่ใช้ได้.",
                 id="status=bogus"),
    pytest.param("quarter=5", "quarter", "เลือกตัวเลือกที่ถูกต้อง. 5 ไม่ใช่ตัวเลือกที่ใช้ได้.", id="quarter=5"),
    pytest.param("q=a%00b", "q", "ห้ามมีอักขระ NUL (0x00)", id="q=a%00b"),
    pytest.param("agency=%00", "agency", "ห้ามมีอักขระ NUL (0x00)", id="agency=%00"),
])
def test_a_value_outside_the_documented_ones_is_refused_in_thai(client, world, query, field, message):
    """Not ignored in silence (page_size=null used to give 50 a page): 400,
    the parameter and a Thai message, as the schema's FieldErrors."""
    response, data = get(client, f"/api/v1/indicators/?{query}")
    assert response.status_code == 400 and data == {field: [message]}
    assert get(client, "/api/v1/quarter-results/?of_quarter=7")[1] == {"of_quarter": ["ไตรมาสต้องเป็น 1, 2, 3 หรือ 4"]}


def test_empty_parameters_are_left_out_and_other_urls_are_json_404s(client, world):
    response, data = get(client, "/api/v1/indicators/?year=&agency=&status=&page=&page_size=")
    assert response.status_code == 200 and data["count"] == 2
    for url in ("/api/v1/indicators/null,null/0/", "/api/v1/scorecards/2569/%00/", "/api/v1/nothing-here/"):
        response, data = get(client, url, **bearer(UserFactory(role="manager")))
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        assert data == NOT_FOUND and response.content == '{"detail":"ไม่พบ"}'.encode()


def test_pagination(client, world):
    for n in range(3):
        IndicatorFactory(fiscal_year=world["year"], owner=world["own"], code=f"7100-1{n:03d}")
    response, data = get(client, "/api/v1/indicators/?page_size=2&page=2")
    assert response.status_code == 200 and data["count"] == 5 and len(data["results"]) == 2
    assert data["next"].endswith("page=3&page_size=2") and "page_size=2" in data["previous"]
    assert get(client, "/api/v1/indicators/?page=9")[1] == {"detail": "หน้าไม่ถูกต้อง"}
    # More than 200 a page gives 200, as documented.
    assert get(client, "/api/v1/indicators/?page_size=5000")[1]["next"] is None
    # Quarter results page by record: 5 indicators x 4 quarters.
    _response, data = get(client, "/api/v1/quarter-results/?page_size=3&page=2")
    assert data["count"] == 20
    assert [(row["code"], row["quarter"]) for row in data["results"]] == [
        ("7100-0001", 4), ("7100-1000", 1), ("7100-1000", 2)]


def test_etag_and_last_modified_answer_304_until_the_data_changes(client, world):
    evaluator = UserFactory(role="evaluator")
    url = "/api/v1/indicators/2569/7100-0001/"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"] and "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    list_first = client.get("/api/v1/indicators/")
    assert client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=list_first["ETag"]).status_code == 304

    # The evaluator accepts quarter 2: the answers change at once.
    result = QuarterResult.objects.get(indicator=world["indicators"]["7100"], quarter=2)
    services.accept(result=result, user=evaluator, expected_version=result.version)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["quarters"][1]["value"] == 98765
    assert client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=list_first["ETag"]).status_code == 200

    # Reopened: pending again.
    result.refresh_from_db()
    services.reopen(result=result, user=evaluator, expected_version=result.version, reason="แก้ไข")
    assert json.loads(client.get(url).content)["quarters"][1]["value"] is None

    # A token's answers are private and differ from the public ones.
    auth = bearer(UserFactory(role="manager"))
    private = client.get(url, **auth)
    assert "private" in private["Cache-Control"] and private["ETag"] != client.get(url)["ETag"]


def test_answers_for_one_token_are_never_served_to_another(client, world):
    manager = bearer(UserFactory(role="manager"))
    reporter = bearer(UserFactory(role="reporter", agencies=[world["other"]]))
    url = "/api/v1/indicators/?year=2569"
    assert codes(get(client, url, **manager)[1]) == ["7100-0001", "7200-0001"]
    assert codes(get(client, url, **reporter)[1]) == ["7200-0001"]
    assert get(client, "/api/v1/indicators/")[1]["results"][1]["quarters"][1]["value"] is None


def test_unpublishing_and_withholding_take_effect_at_once(client, world):
    assert get(client, "/api/v1/indicators/2569/7100-0001/")[0].status_code == 200
    indicator = world["indicators"]["7100"]
    indicator.public_hidden = True
    indicator.save()
    assert get(client, "/api/v1/indicators/2569/7100-0001/")[0].status_code == 404
    assert codes(get(client, "/api/v1/indicators/")[1]) == ["7200-0001"]
    # A bulk UPDATE (no version bumped, no signal) takes effect at once too.
    get(client, "/api/v1/indicators/")
    Indicator.objects.filter(pk=world["indicators"]["7200"].pk).update(public_hidden=True)
    assert get(client, "/api/v1/indicators/")[1]["count"] == 0
    Indicator.objects.filter(pk=world["indicators"]["7200"].pk).update(public_hidden=False)
    assert codes(get(client, "/api/v1/indicators/")[1]) == ["7200-0001"]
    FiscalYear.objects.filter(pk=world["year"].pk).update(published=False)
    assert get(client, "/api/v1/indicators/2569/7200-0001/")[0].status_code == 404
    response, data = get(client, "/api/v1/indicators/?year=2569")
    assert response.status_code == 200 and data["count"] == 0
    assert get(client, "/api/v1/indicators/")[1]["count"] == 0


def test_anonymous_clients_are_rate_limited(client, world, settings):
    settings.API_ANON_RATE = "3/minute"
    statuses = [client.get("/api/v1/agencies/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/fiscal-years/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # A token has its own, higher limit.
    assert get(client, "/api/v1/agencies/", **bearer(UserFactory(role="manager")))[0].status_code == 200


def test_the_api_is_read_only(client, world):
    auth = bearer(UserFactory(role="administrator"))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/indicators/", data="{}", content_type="application/json", **auth)
        assert response.status_code == 405, method


def test_plan_and_agencies(client, world):
    _response, data = get(client, "/api/v1/strategy/")
    assert {"code": "9", "level": 1, "level_label": "ด้าน", "title": "ด้านทดสอบ API", "parent": None} in data["results"]
    _response, data = get(client, "/api/v1/agencies/")
    assert {a["code"] for a in data["results"]} >= {"7100", "7200"}
    assert "members" not in data["results"][0]


def test_a_new_release_answers_anew_not_304(client, world, monkeypatch):
    """The public answers' ETag holds the release (web/release.py): a client
    holding an answer of the previous release gets the new one in full."""
    from web import release

    url = "/api/v1/indicators/2569/7100-0001/"
    monkeypatch.setattr(release, "fingerprint", lambda: "old-release")
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    monkeypatch.setattr(release, "fingerprint", lambda: "new-release")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
