"""Nothing that is not public reaches the public site, the open data or the
anonymous API: no result of a quarter the evaluator has not accepted (in any
form: its value, a value to date or year total that includes it, a score),
no narrative of such a quarter, no staff name, no comment or reason of the
evaluator, no evidence file, no history; and nothing of an unpublished year
or a withheld indicator. A matrix over every quarter status, for an
indicator judged by its own quarter (cumulative) and one that adds its
quarters up (sum), with every surface read as an anonymous client."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from evaluation import services
from indicators import rules
from indicators.models import Indicator, QuarterResult
from reports.models import Evidence, Narrative

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, UserFactory

D = Decimal
S = QuarterResult.Status
# Every state a quarter can be in; "reopened" is an accepted quarter the
# evaluator unlocked again (evaluation.services.reopen: returned, scores cleared).
MATRIX = [S.NOT_STARTED, S.DRAFT, S.SUBMITTED, S.RETURNED, "reopened"]
AGGREGATIONS = [rules.CUMULATIVE, rules.SUM]

STAFF_NAMES = ["ชื่อเจ้าหน้าที่ลับ", "นามสกุลเจ้าหน้าที่ลับ", "staff-secret-reporter", "staff-secret-evaluator",
               "ผู้ตรวจลับ"]
SECRETS = ["ความเห็นลับของผู้ตรวจประเมิน", "เหตุผลคะแนนลับ", "หลักฐานลับ.pdf", "รายงานลับไตรมาสที่ยังไม่ตรวจรับ",
           "ตัวชี้วัดอ่อนไหวลับ", "ตัวชี้วัดของปีที่ยังไม่เผยแพร่", "SECRET-"]
# Parts of URLs the public must never be sent to: evidence, history, entry, review.
STAFF_PATHS = ["/evidence/", "/history/", "/report/", "/review/", "/quarters/"]
ACCEPTED_NARRATIVE = "รายงานผลไตรมาสที่ตรวจรับแล้ว"
# Results of quarters not accepted are 7-digit numbers starting 98765: any
# figure that shows or includes one (a sum to date) carries those digits.
UNREVIEWED = re.compile(r"98,?765")


def _result(indicator, quarter, status, value, staff, **extra):
    accepted = status == S.ACCEPTED
    return QuarterResult.objects.create(
        indicator=indicator, quarter=quarter, status=status, value=value,
        score_self=D("100") if accepted else D("77.77"),
        score_confirmed=D("100") if accepted else (D("66.66") if status == S.RETURNED else None),
        submitted_by=staff["reporter"], updated_by=staff["reporter"],
        reviewed_by=staff["evaluator"] if status in (S.ACCEPTED, S.RETURNED) else None,
        reviewer_comment="ความเห็นลับของผู้ตรวจประเมิน" if status == S.RETURNED else "",
        submitted_at=timezone.now(), **extra,
    )


def build_world():
    """A published year with one indicator per (aggregation, status of
    quarter 2): quarter 1 accepted, quarter 2 in that status with a result
    of 98765xx, quarter 3 accepted after it; plus a withheld indicator, an
    unpublished year, staff with names, comments, evidence."""
    year = FiscalYearFactory(year=2569, published=True)
    hidden_year = FiscalYearFactory(year=2570, published=False)
    agency = AgencyFactory(code="7000", name="สำนักทดสอบสาธารณะ", short_name="สทส.")
    reporter = UserFactory(username="staff-secret-reporter", first_name="ชื่อเจ้าหน้าที่ลับ",
                           last_name="นามสกุลเจ้าหน้าที่ลับ", role="reporter", agencies=[agency])
    evaluator = UserFactory(username="staff-secret-evaluator", first_name="ผู้ตรวจลับ", role="evaluator")
    staff = {"reporter": reporter, "evaluator": evaluator}
    indicators = []
    for a, aggregation in enumerate(AGGREGATIONS):
        for n, status in enumerate(MATRIX):
            indicator = IndicatorFactory(fiscal_year=year, owner=agency, code=f"PUB-{a}{n}", aggregation=aggregation,
                                         annual_target=D("100"), name=f"ตัวชี้วัดสาธารณะ {aggregation} {status}")
            _result(indicator, 1, S.ACCEPTED, D("10"), staff)
            secret_value = D(f"98765{a}{n}")
            if status == "reopened":
                q2 = _result(indicator, 2, S.SUBMITTED, secret_value, staff)
                q2 = services.accept(result=q2, user=evaluator, expected_version=q2.version)
                services.reopen(result=q2, user=evaluator, expected_version=q2.version,
                                  reason="ความเห็นลับของผู้ตรวจประเมิน")
            else:
                _result(indicator, 2, status, secret_value, staff)
            _result(indicator, 3, S.ACCEPTED, D("20"), staff)
            Narrative.objects.create(indicator=indicator, quarter=1, text=ACCEPTED_NARRATIVE, updated_by=reporter)
            Narrative.objects.create(indicator=indicator, quarter=2, text=f"รายงานลับไตรมาสที่ยังไม่ตรวจรับ {status}",
                                     updated_by=reporter)
            for quarter in (1, 2):
                Evidence.objects.create(indicator=indicator, quarter=quarter,
                                        file=f"evidence/{indicator.pk}/x{quarter}", original_name="หลักฐานลับ.pdf",
                                        content_type="application/pdf", size=10, uploaded_by=reporter)
            indicators.append((indicator, aggregation, status))
    # Quarter 4 scored with a reason differing from 2.1: the reason is the evaluator's, never public.
    scored = IndicatorFactory(fiscal_year=year, owner=agency, code="PUB-Q4", annual_target=D("10"))
    for q in (1, 2, 3):
        _result(scored, q, S.ACCEPTED, D("5"), staff)
    q4 = _result(scored, 4, S.SUBMITTED, D("8"), staff)
    services.score_final_quarter(result=q4, user=evaluator, expected_version=q4.version, score="75",
                                   reason="เหตุผลคะแนนลับ")
    withheld = IndicatorFactory(fiscal_year=year, owner=agency, code="SECRET-1", name="ตัวชี้วัดอ่อนไหวลับ",
                                public_hidden=True)
    _result(withheld, 1, S.ACCEPTED, D("10"), staff)
    unpublished = IndicatorFactory(fiscal_year=hidden_year, owner=agency, code="SECRET-2",
                                   name="ตัวชี้วัดของปีที่ยังไม่เผยแพร่")
    _result(unpublished, 1, S.ACCEPTED, D("10"), staff)
    return indicators, scored, withheld, unpublished


def public_urls(indicators, scored):
    urls = ["/public/", "/public/data/", "/public/2569/", "/public/2569/indicators/", "/public/2569/data.csv",
            "/public/2569/data.json"]
    for quarter in (1, 2, 3, 4):
        urls += [f"/public/2569/?quarter={quarter}", f"/public/2569/indicators/?quarter={quarter}"]
    for status in ("met", "not_met", "pending"):
        urls.append(f"/public/2569/indicators/?quarter=3&status={status}")
    urls += [f"/public/2569/indicators/{ind.code}/" for ind, _a, _s in indicators]
    urls.append(f"/public/2569/indicators/{scored.code}/")
    return urls


def api_urls(indicators, scored):
    urls = ["/api/v1/", "/api/v1/fiscal-years/", "/api/v1/agencies/", "/api/v1/strategy/",
            "/api/v1/indicators/", "/api/v1/quarter-results/", "/api/v1/quarter-results/?of_quarter=2"]
    for quarter in (1, 2, 3, 4):
        urls.append(f"/api/v1/indicators/?year=2569&quarter={quarter}")
    urls += [f"/api/v1/indicators/2569/{ind.code}/" for ind, _a, _s in indicators]
    urls.append(f"/api/v1/indicators/2569/{scored.code}/")
    return urls


def assert_nothing_private(url, text):
    for secret in STAFF_NAMES + SECRETS:
        assert secret not in text, (url, secret)
    for path in STAFF_PATHS:
        assert path not in text, (url, path)
    assert not UNREVIEWED.search(text), (url, UNREVIEWED.search(text).group())


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_public_site_and_open_data_show_accepted_results_only(client):
    indicators, scored, withheld, unpublished = build_world()
    for url in public_urls(indicators, scored):
        assert_nothing_private(url, read(client, url))
    # Accepted figures and narratives are shown (the check above is not vacuous).
    page = read(client, f"/public/2569/indicators/{indicators[0][0].code}/")
    assert ACCEPTED_NARRATIVE in page and 'data-quarter="1" data-status="accepted"' in page
    assert 'data-quarter="2" data-status="pending"' in page
    for url in (f"/public/2569/indicators/{withheld.code}/", f"/public/2570/indicators/{unpublished.code}/",
                "/public/2570/", "/public/2570/indicators/", "/public/2570/data.csv"):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_quarters_in_the_open_data_and_api_match_the_rule(client):
    """Structurally: per quarter, figures exactly when the quarter is public."""
    indicators, scored, _withheld, _unpublished = build_world()
    document = json.loads(read(client, "/public/2569/data.json"))
    detail = {code: json.loads(read(client, f"/api/v1/indicators/2569/{code}/"))
              for code in [ind.code for ind, _a, _s in indicators]}
    by_code = {record["code"]: record for record in document["indicators"]}
    assert "SECRET-1" not in by_code and set(by_code) == {ind.code for ind, _a, _s in indicators} | {scored.code}
    for indicator, aggregation, _status in indicators:
        # Quarter 2 is never accepted here; quarter 3 is, but a sum to date
        # would include quarter 2's result, so it waits too.
        expected = {1: "accepted", 2: "pending", 3: "pending" if aggregation == rules.SUM else "accepted",
                    4: "pending"}
        for record in (by_code[indicator.code], detail[indicator.code]):
            for quarter in record["quarters"]:
                assert quarter["status"] == expected[quarter["quarter"]], (indicator.code, quarter)
                if quarter["status"] == "pending":
                    assert [quarter[k] for k in ("value", "value_to_date", "achievement", "score_self",
                                                 "score_confirmed")] == [None] * 5
            assert record["status"] == "pending"
        narratives = {n["quarter"]: n["text"] for n in detail[indicator.code]["narratives"]}
        assert narratives == {1: ACCEPTED_NARRATIVE, 2: "", 3: "", 4: ""}
    final = json.loads(read(client, f"/api/v1/indicators/2569/{scored.code}/"))
    assert final["quarters"][3]["score_confirmed"] == 75 and final["status"] == "not_met"


@pytest.mark.django_db
def test_the_anonymous_api_shows_accepted_results_only(client):
    indicators, scored, withheld, unpublished = build_world()
    for url in api_urls(indicators, scored):
        assert_nothing_private(url, read(client, url))
    for url in (f"/api/v1/indicators/2569/{withheld.code}/", f"/api/v1/indicators/2570/{unpublished.code}/"):
        assert client.get(url).status_code == 404, url
    # An unpublished year selects nothing for the public, as a year that does not exist.
    for endpoint in ("indicators", "quarter-results"):
        unpublished_year = client.get(f"/api/v1/{endpoint}/?year=2570")
        assert unpublished_year.status_code == 200 and json.loads(unpublished_year.content)["count"] == 0
        assert unpublished_year.content == client.get(f"/api/v1/{endpoint}/?year=2599").content
    # Scorecards count results not yet accepted: never anonymous.
    assert client.get("/api/v1/scorecards/2569/").status_code == 401
    assert client.get(f"/api/v1/scorecards/2569/{withheld.owner.code}/").status_code == 401


@pytest.mark.django_db
def test_a_signed_in_browser_is_still_the_public_on_the_public_surfaces(client):
    """The public pages and the API ignore the session: an evaluator browsing
    them sees what everyone sees (no cached page can carry staff data)."""
    indicators, scored, _withheld, _unpublished = build_world()
    client.force_login(Group.objects.get(name="evaluator").user_set.first())
    for url in public_urls(indicators, scored)[:6] + api_urls(indicators, scored)[4:7]:
        assert_nothing_private(url, read(client, url))


@pytest.mark.django_db
def test_unreviewed_figures_in_every_status_are_really_in_the_database():
    """The matrix holds what it claims: staff see each unreviewed result."""
    indicators, _scored, _withheld, _unpublished = build_world()
    statuses = {QuarterResult.objects.get(indicator=ind, quarter=2).status for ind, _a, _s in indicators}
    assert statuses == {S.NOT_STARTED, S.DRAFT, S.SUBMITTED, S.RETURNED}
    assert Indicator.objects.filter(quarter_results__value__gte=D("9876500")).count() == len(indicators)
