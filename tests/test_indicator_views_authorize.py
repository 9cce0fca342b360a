"""Every view that takes <year>/<code> fetches and authorizes through
permissions.indicator_for: the URL patterns are walked, so a new view that
forgets it fails here. Each answers 404 for an unknown code and 403 for an
indicator the user may not use, before doing anything else."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators import permissions

from .factories import AgencyFactory, IndicatorFactory, QuarterResultFactory

pytestmark = pytest.mark.django_db


def indicator_routes(patterns=None, namespace=""):
    """(route name, extra kwargs) of every URL pattern with a `code` converter."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += indicator_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and "code" in entry.pattern.converters:
            extra = {"quarter": 1} if "quarter" in entry.pattern.converters else {}
            found.append((f"{namespace}{entry.name}", extra))
    return found


# Open to everyone, without signing in: they read Indicator.objects.public()
# (a published year, not withheld) and answer 404 for anything else; the
# API's detail goes through indicator_for when a token signs in. Tested below.
PUBLIC_ROUTES = {"public:indicator", "api:indicator-detail"}
# A project's <year>/<code> routes (also the `code` converter) go through
# projects.permissions.project_for instead: tested below.
PROJECT_PUBLIC_ROUTES = {"public:project", "api:project-detail"}


# Routes of a project quarter whose name does not say "project".
PROJECT_NAMED_OTHERWISE = {"signoff:update"}
# Routes that only take a POST (their GET answers 405 before anything else).
POST_ONLY = ("accept", "score", "return", "reopen", "start_indicator", "start_project")


def is_project_route(name):
    return "project" in name.split(":")[-1] or name.startswith("projects:") or name in PROJECT_NAMED_OTHERWISE


ROUTES = [(name, extra) for name, extra in indicator_routes()
          if name not in PUBLIC_ROUTES and not is_project_route(name)]
PROJECT_ROUTES = [(name, extra) for name, extra in indicator_routes()
                  if is_project_route(name) and name not in PROJECT_PUBLIC_ROUTES]


def test_the_walk_finds_the_indicator_views():
    names = {name for name, _extra in ROUTES}
    assert {"indicators:detail", "printing:sheet", "entry:report", "entry:history", "review:quarter",
            "review:accept", "review:score", "review:return", "review:reopen"} <= names


@pytest.mark.parametrize("name, extra", ROUTES, ids=[name for name, _ in ROUTES])
def test_every_indicator_view_goes_through_indicator_for(name, extra, client, make_user, monkeypatch):
    indicator = IndicatorFactory()
    QuarterResultFactory(indicator=indicator, quarter=1)
    calls = []
    real = permissions.indicator_for

    def spy(user, year, code, **kwargs):
        calls.append((year, code))
        return real(user, year, code, **kwargs)

    monkeypatch.setattr(permissions, "indicator_for", spy)
    # The right role for the view, but another agency's reporter for the reporter views.
    role = "evaluator" if name.startswith("review:") else "reporter"
    client.force_login(make_user(role, agencies=[AgencyFactory()]))
    method = client.post if name.split(":")[1] in POST_ONLY else client.get

    url = reverse(name, kwargs={"year": indicator.fiscal_year.year, "code": indicator.code, **extra})
    outsider = method(url)
    missing = method(reverse(name, kwargs={"year": indicator.fiscal_year.year, "code": "NO-SUCH", **extra}))
    assert calls == [(indicator.fiscal_year.year, indicator.code), (indicator.fiscal_year.year, "NO-SUCH")]
    assert missing.status_code == 404
    if role == "reporter":
        assert outsider.status_code == 403


def test_the_walk_finds_the_project_views():
    assert {"projects:detail", "projects:edit", "projects:update", "projects:history", "printing:project_sheet",
            "review:project", "review:project_return"} <= {name for name, _extra in PROJECT_ROUTES}


@pytest.mark.parametrize("name, extra", PROJECT_ROUTES, ids=[name for name, _ in PROJECT_ROUTES])
def test_every_project_view_answers_404_for_an_unknown_code_and_403_for_another_agency(name, extra, client,
                                                                                      make_user):
    from .factories import ProjectFactory, ProjectUpdateFactory

    project = ProjectFactory()
    ProjectUpdateFactory(project=project, quarter=1, status="submitted")
    role = "evaluator" if name.startswith("review:") else "reporter"
    user = make_user(role, agencies=[AgencyFactory()])
    client.force_login(user)
    last = name.split(":")[1]
    method = client.post if last in POST_ONLY or last.split("_")[-1] in POST_ONLY else client.get
    year = project.fiscal_year.year
    missing = method(reverse(name, kwargs={"year": year, "code": "9999-9999", **extra}))
    assert missing.status_code == 404
    if role == "reporter":
        assert method(reverse(name, kwargs={"year": year, "code": project.code, **extra})).status_code == 403


def test_the_walk_finds_the_public_views():
    assert {name for name, _extra in indicator_routes()} >= PUBLIC_ROUTES


@pytest.mark.parametrize("name", sorted(PUBLIC_ROUTES))
def test_public_indicator_views_answer_404_for_what_is_not_public(name, client):
    from indicators.models import FiscalYear

    published = IndicatorFactory(fiscal_year=FiscalYear.objects.create(year=2569, published=True))
    withheld = IndicatorFactory(fiscal_year=published.fiscal_year, public_hidden=True)
    unpublished = IndicatorFactory(fiscal_year=FiscalYear.objects.create(year=2570))
    assert client.get(reverse(name, args=[2569, published.code])).status_code == 200
    for indicator in (withheld, unpublished):
        url = reverse(name, args=[indicator.fiscal_year.year, indicator.code])
        assert client.get(url).status_code == 404, indicator.code
    assert client.get(reverse(name, args=[2569, "NO-SUCH"])).status_code == 404


def test_the_api_detail_goes_through_indicator_for_with_a_token(client, make_user, monkeypatch):
    from api.models import ApiToken

    indicator = IndicatorFactory()
    calls = []
    real = permissions.indicator_for

    def spy(user, year, code, **kwargs):
        calls.append((year, code))
        return real(user, year, code, **kwargs)

    monkeypatch.setattr(permissions, "indicator_for", spy)
    _token, raw = ApiToken.issue(make_user("reporter", agencies=[AgencyFactory()]), "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    year = indicator.fiscal_year.year
    assert client.get(reverse("api:indicator-detail", args=[year, indicator.code]), **auth).status_code == 404  # hidden as missing (issue 29, point 19)
    assert client.get(reverse("api:indicator-detail", args=[year, "NO-SUCH"]), **auth).status_code == 404
    assert calls == [(year, indicator.code), (year, "NO-SUCH")]
