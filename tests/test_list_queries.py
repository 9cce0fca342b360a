"""Fixed query counts: the list, the table, the dashboard and the exports run
the same number of SQL queries for 10 indicators as for 10,000."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import synthetic
from indicators.models import Agency, Indicator

# Each URL has rows at both sizes (a query for no rows at all is skipped).
URLS = [
    "/",
    "/?q=จำนวน&strategy=7&sort=-name",
    "/?quarter=4&status=pending&sort=agency&page=2",
    "/?group=bangkok-east&status=not_met",
    "/?sort=-achievement&page=2",
    "/?sort=status&quarter=2",
    "/?sort=-result&q=จำนวน",
    "/reports/quarterly/",
    "/reports/quarterly/?group_by=agency&status=not_met&page=3",
    "/reports/dashboard/",
    "/reports/dashboard/?quarter=2",
    "/reports/quarterly/?quarter=2&status=met&group_by=agency",
    "/indicators/export.csv",
    "/indicators/export.xlsx?status=met",
    "/reports/quarterly/export.csv",
    "/reports/quarterly/export.xlsx?group_by=agency",
]

REPORTER_URLS = ["/", "/reports/quarterly/", "/reports/dashboard/", "/indicators/export.csv"]


def query_counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            assert "ไม่พบตัวชี้วัด" not in response.content.decode(), url
        counts[url] = len(ctx.captured_queries)
    return counts


def test_query_counts_do_not_grow_with_the_data(client, make_user, settings):
    # The XLSX is counted as the request makes it; at 10,000 rows it would be
    # a print job, which runs the same export code (tests/test_exports.py).
    settings.EXPORT_JOB_ROWS = 1_000_000
    synthetic.generate(indicators=10, years=1, narratives=False, log=lambda *a: None)
    manager = make_user("manager")
    reporter = make_user("reporter", agencies=list(Agency.objects.filter(code__in=["2200", "2300"])))

    client.force_login(manager)
    small = query_counts(client, URLS)
    client.force_login(reporter)
    small_reporter = query_counts(client, REPORTER_URLS)

    synthetic.generate(indicators=9990, years=1, seed=7, narratives=False, log=lambda *a: None)
    assert Indicator.objects.count() == 10_000

    client.force_login(manager)
    large = query_counts(client, URLS)
    client.force_login(reporter)
    large_reporter = query_counts(client, REPORTER_URLS)

    assert large == small
    assert large_reporter == small_reporter
    # 17: the table by dimension reads the strategy plan (a few hundred
    # rows) once, so that its queries need no join per plan level.
    assert max(large.values()) <= 17, sorted(large.items(), key=lambda item: -item[1])[:4]
