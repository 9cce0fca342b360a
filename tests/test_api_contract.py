"""The API answers what its OpenAPI schema says: schemathesis generates
requests from /api/v1/schema/ (valid ones and, deliberately, invalid ones:
wrong types, values outside the enums, NUL characters, made-up paths) and
checks every answer against the schema: its status is documented, its body
and headers match, valid requests are not refused, invalid ones are, and
nothing is a server error.

It calls the WSGI application in this process (no network), on a small
world of two agencies in a published and an unpublished year, once
anonymously and once with a manager's real API token. Bounded and
repeatable: 25 examples per operation, a fixed seed and deterministic
generation, no example database."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.models import ApiToken
from indicators import rules
from indicators.models import QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, StrategyNodeFactory, UserFactory

CONFIG = """
seed = 2569

[generation]
max-examples = 25
deterministic = true
database = "none"
"""

S = QuarterResult.Status


def in_test_transaction(application):
    """The WSGI application as Django's test client runs it: no connection
    closed at the end of a request, so each request sees the test's data
    and the test's transaction outlives it."""

    def run(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = application(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return run


@pytest.fixture
def world(db):
    published = FiscalYearFactory(year=2569, published=True)
    unpublished = FiscalYearFactory(year=2570, published=False)
    node = StrategyNodeFactory(code="9", title="ด้านทดสอบ")
    for agency in (AgencyFactory(code="7100"), AgencyFactory(code="7200")):
        indicator = IndicatorFactory(fiscal_year=published, owner=agency, code=f"{agency.code}-0001",
                                     annual_target=100, aggregation=rules.CUMULATIVE)
        indicator.strategy_nodes.add(node)
        QuarterResult.objects.create(indicator=indicator, quarter=1, value=40, status=S.ACCEPTED,
                                     score_self=40, score_confirmed=40)
        QuarterResult.objects.create(indicator=indicator, quarter=2, value=70, status=S.SUBMITTED)
        IndicatorFactory(fiscal_year=unpublished, owner=agency, code=f"{agency.code}-0002")


@pytest.fixture(params=["anonymous", "manager's token"])
def caller(request, world):
    """The headers of each run: none (the public data), then a manager's real token."""
    if request.param == "anonymous":
        return {}
    _token, raw = ApiToken.issue(UserFactory(role="manager"), "schemathesis")
    return {"Authorization": f"Bearer {raw}"}


# The schema as the API serves it, read once when the tests are collected:
# drf-spectacular builds it from the code, without the database. (Schemathesis'
# lazy loader, schemathesis.pytest.from_fixture, reads Function._nodeid, which
# pytest 9.2 no longer has.) One test per operation and caller.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_test_transaction(get_wsgi_application()),
                                        config=SchemathesisConfig.from_str(CONFIG))


@schema.parametrize()
@settings(max_examples=25, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_answers_as_its_schema_says(case, caller):
    case.call_and_validate(headers=caller)
