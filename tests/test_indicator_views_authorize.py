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


ROUTES = indicator_routes()


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
    method = client.post if name.split(":")[1] in ("accept", "score", "return", "reopen") else client.get

    url = reverse(name, kwargs={"year": indicator.fiscal_year.year, "code": indicator.code, **extra})
    outsider = method(url)
    missing = method(reverse(name, kwargs={"year": indicator.fiscal_year.year, "code": "NO-SUCH", **extra}))
    assert calls == [(indicator.fiscal_year.year, indicator.code), (indicator.fiscal_year.year, "NO-SUCH")]
    assert missing.status_code == 404
    if role == "reporter":
        assert outsider.status_code == 403
