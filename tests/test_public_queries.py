"""Fixed query counts: the public pages, open data and API endpoints run the
same number of SQL queries for 10 indicators as for 10,000, both the first
time (nothing cached) and once cached, when a page costs one or two small
queries (the year and the version of its data)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ApiToken
from demo import synthetic
from indicators.models import FiscalYear, Indicator

PUBLIC = [
    "/public/",
    "/public/2569/",
    "/public/2569/?quarter=2",
    "/public/2569/indicators/",
    "/public/2569/indicators/?q=จำนวน&strategy=7&sort=-name",
    "/public/2569/indicators/?quarter=4&status=pending&sort=agency",
    "/public/2569/indicators/?group=bangkok-east&status=met&quarter=3",
    "/public/2569/indicators/{code}/",
    "/public/data/",
    "/public/2569/data.csv",
    "/public/2569/data.json",
    "/api/v1/indicators/",
    "/api/v1/indicators/?q=จำนวน&strategy=7&status=pending&quarter=4&page_size=100",
    "/api/v1/indicators/2569/{code}/",
    "/api/v1/quarter-results/",
    "/api/v1/quarter-results/?agency={agency}&of_quarter=4",
    "/api/v1/fiscal-years/",
    "/api/v1/agencies/",
    "/api/v1/strategy/",
]
TOKEN = [
    "/api/v1/indicators/",
    "/api/v1/indicators/?status=pending&quarter=4&sort=-target",
    "/api/v1/indicators/2569/{code}/",
    "/api/v1/quarter-results/",
    "/api/v1/scorecards/2569/",
    "/api/v1/scorecards/2569/{agency}/",
]

# What a repeat costs once cached: (the year, the version of its data).
CACHED = {
    "/public/": 1,  # the published years: not cached, one query
    "/public/data/": 1,
    "/public/2569/indicators/{code}/": 1,  # the indicator's id and version
    "/api/v1/indicators/2569/{code}/": 1,
    "/api/v1/fiscal-years/": 1,  # small lists: not cached, ETag from the content
    "/api/v1/agencies/": 2,  # the page and its count
    "/api/v1/strategy/": 2,
}


def counts(client, urls, substitutions, cold, **headers):
    found = {}
    for url in urls:
        real = url.format(**substitutions)
        if cold:
            cache.clear()
        else:
            client.get(real, **headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(real, **headers)
        assert response.status_code == 200, (real, response.status_code)
        found[url] = len(ctx.captured_queries)
    return found


def measure(client, manager_token):
    first = Indicator.objects.filter(fiscal_year__year=2569).order_by("code").first()
    substitutions = {"code": first.code, "agency": first.owner.code}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {manager_token}"}
    # The token's first use is recorded (one UPDATE, then at most every few minutes).
    client.get("/api/v1/", **auth)
    return {
        "public cold": counts(client, PUBLIC, substitutions, cold=True),
        "public cached": counts(client, PUBLIC, substitutions, cold=False),
        "token cold": counts(client, TOKEN, substitutions, cold=True, **auth),
        "token cached": counts(client, TOKEN, substitutions, cold=False, **auth),
    }


def test_query_counts_do_not_grow_with_the_data(client, make_user):
    synthetic.generate(indicators=10, years=1, narratives=False, log=lambda *a: None)
    FiscalYear.objects.filter(year=2569).update(published=True)
    _token, raw = ApiToken.issue(make_user("manager"), "queries")
    small = measure(client, raw)

    synthetic.generate(indicators=9990, years=1, seed=7, narratives=False, log=lambda *a: None)
    assert Indicator.objects.filter(fiscal_year__year=2569).count() == 10_000
    large = measure(client, raw)

    assert small == large
    for url, cached in small["public cached"].items():
        assert cached == CACHED.get(url, 2), (url, cached)
    # A token adds its own look-up and its owner's roles; a scorecard the
    # agency, a ranking or scorecard the year.
    assert small["token cached"] == {
        "/api/v1/indicators/": 4,
        "/api/v1/indicators/?status=pending&quarter=4&sort=-target": 4,
        "/api/v1/indicators/2569/{code}/": 3,
        "/api/v1/quarter-results/": 4,
        "/api/v1/scorecards/2569/": 4,
        "/api/v1/scorecards/2569/{agency}/": 5,
    }
