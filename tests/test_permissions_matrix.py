"""The permission matrix: every role x every page, form and download, for an
indicator of the user's own agency and of another agency, including guessed
URLs and ids. Refusals are checked on the server's answer and on the data."""

from decimal import Decimal

import pytest
from django.conf import settings

from indicators.models import QuarterResult
from reports.models import Evidence

from .entry_support import open_indicator, png_file, report_url
from .factories import AgencyFactory, QuarterResultFactory

pytestmark = pytest.mark.usefixtures("media_root")

ROLES = ["anonymous", "no_role", "reporter_own", "reporter_other", "evaluator", "manager", "administrator"]

# What each role gets on the indicator of agency A ("own" for reporter_own).
# 302 for the anonymous visitor is the redirect to sign-in.
EXPECTED = {
    #                  detail form_get form_post history evidence
    "anonymous":      (302,   302,     302,      302,    302),
    "no_role":        (403,   403,     403,      403,    403),
    "reporter_own":   (200,   200,     302,      200,    200),
    "reporter_other": (403,   403,     403,      403,    403),
    "evaluator":      (200,   403,     403,      200,    200),
    "manager":        (200,   403,     403,      200,    200),
    "administrator":  (200,   200,     302,      200,    200),
}
ENDPOINTS = ["detail", "form_get", "form_post", "history", "evidence"]


@pytest.fixture
def world(db, make_user, client):
    agency_a, agency_b = AgencyFactory(), AgencyFactory()
    indicator = open_indicator(owner=agency_a)
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("5"), status="draft", version=1)
    evidence = Evidence(indicator=indicator, quarter=1, original_name="หลักฐาน.png", content_type="image/png",
                        size=10)
    evidence.file.save("x", png_file(), save=False)
    evidence.save()
    other_indicator = open_indicator(owner=agency_b)
    users = {
        "no_role": make_user(None, [agency_a]),
        "reporter_own": make_user("reporter", [agency_a]),
        "reporter_other": make_user("reporter", [agency_b]),
        "evaluator": make_user("evaluator"),
        "manager": make_user("manager"),
        "administrator": make_user("administrator"),
    }
    return {"indicator": indicator, "evidence": evidence, "other_indicator": other_indicator, "users": users}


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def request(client, world, endpoint):
    indicator = world["indicator"]
    base = f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/"
    if endpoint == "detail":
        return client.get(base)
    if endpoint == "form_get":
        return client.get(report_url(indicator))
    if endpoint == "form_post":
        return client.post(report_url(indicator),
                           {"version": 1, "value": "999", "narrative": "บุกรุก", "action": "submit",
                            "confirm_plausible": "on", "remove_evidence": [world["evidence"].pk]})
    if endpoint == "history":
        return client.get(base + "history/")
    if endpoint == "evidence":
        return client.get(f"/evidence/{world['evidence'].pk}/")
    raise AssertionError(endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role, endpoint):
    expected = EXPECTED[role][ENDPOINTS.index(endpoint)]
    response = request(client_for(client, world, role), world, endpoint)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")
    if expected == 403:
        assert "ไม่มีสิทธิ์เข้าถึง" in response.content.decode()
    result = QuarterResult.objects.get(indicator=world["indicator"], quarter=1)
    world["evidence"].refresh_from_db()
    if endpoint == "form_post" and expected == 302 and role != "anonymous":
        assert result.value == Decimal("999") and world["evidence"].removed_at is not None
    else:
        # Every refusal leaves the data exactly as it was.
        assert (result.value, result.status, result.version) == (Decimal("5"), "draft", 1)
        assert world["evidence"].removed_at is None


@pytest.mark.parametrize("role", ["reporter_own", "reporter_other", "evaluator", "manager", "administrator"])
def test_report_links_only_for_those_who_may_report(client, world, role):
    response = client_for(client, world, role).get(world["indicator"].get_absolute_url())
    if response.status_code != 200:
        return  # refused outright (reporter_other): covered by the matrix
    has_link = report_url(world["indicator"]) in response.content.decode()
    assert has_link == (role in ("reporter_own", "administrator"))


def test_lists_show_only_what_the_reporter_may_see(client, world):
    client_for(client, world, "reporter_other")
    for url in ("/", "/my-indicators/"):
        page = client.get(url).content.decode()
        assert world["indicator"].code not in page
        assert world["other_indicator"].code in page


@pytest.mark.parametrize("role", ["reporter_own", "evaluator", "administrator"])
@pytest.mark.parametrize(
    "url",
    [
        "/evidence/999999/",
        "/indicators/{year}/{code}/quarters/5/report/",
        "/indicators/{year}/{code}/quarters/0/report/",
        "/indicators/{year}/NO-SUCH-CODE/quarters/1/report/",
        "/indicators/2400/{code}/quarters/1/report/",
        "/indicators/{year}/NO-SUCH-CODE/history/",
    ],
)
def test_guessed_urls_are_404(client, world, role, url):
    indicator = world["indicator"]
    url = url.format(year=indicator.fiscal_year.year, code=indicator.code)
    response = client_for(client, world, role).get(url)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_removed_evidence_cannot_be_downloaded_even_by_its_reporter(client, world):
    from django.utils import timezone

    Evidence.objects.filter(pk=world["evidence"].pk).update(removed_at=timezone.now())
    assert client_for(client, world, "reporter_own").get(f"/evidence/{world['evidence'].pk}/").status_code == 404


def test_stored_files_are_not_reachable_by_path(client, world):
    """No URL serves MEDIA_ROOT: the only way to a file is the checking view."""
    client_for(client, world, "reporter_own")
    name = world["evidence"].file.name
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + name).status_code == 404
    assert not settings.MEDIA_ROOT.startswith(str(settings.STATIC_ROOT))


def test_other_agency_reporter_cannot_post_to_a_guessed_quarter(client, world):
    client_for(client, world, "reporter_other")
    for quarter in (1, 2, 3, 4):
        response = client.post(report_url(world["indicator"], quarter), {"version": 0, "value": "1"})
        assert response.status_code == 403
    assert QuarterResult.objects.filter(indicator=world["indicator"]).count() == 1


def test_a_forged_form_without_csrf_token_gets_the_thai_403(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["reporter_own"])
    response = client.post(report_url(world["indicator"]), {"version": 1, "value": "7"})
    assert response.status_code == 403
    assert "หน้านี้หมดอายุ ยังไม่ได้บันทึก" in response.content.decode()
    assert "ไม่มีสิทธิ์เข้าถึง" not in response.content.decode()
    assert QuarterResult.objects.get(indicator=world["indicator"], quarter=1).value == Decimal("5")
