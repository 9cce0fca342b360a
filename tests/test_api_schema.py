"""The OpenAPI 3 schema: valid against the specification, and it documents
every endpoint under /api/v1/ with its parameters and the answers' fields;
the documentation page is served from the installed sidecar package."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from api.models import ApiToken
from indicators.models import QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, UserFactory

# Served by drf-spectacular itself, and the JSON 404 of any other URL: not endpoints of the API.
NOT_ENDPOINTS = {"schema", "docs", "not-found"}


def api_routes():
    """(name, path template) of every route in the "api" namespace."""
    resolver = next(p for p in get_resolver().url_patterns
                    if isinstance(p, URLResolver) and p.namespace == "api")
    routes = []
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        template = "/api/v1/" + str(pattern.pattern)
        for converter in ("int:", "code:", "str:"):
            template = template.replace("<" + converter, "{")
        routes.append((pattern.name, template.replace(">", "}")))
    return routes


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_documents_every_endpoint(schema):
    routes = [(name, path) for name, path in api_routes() if name not in NOT_ENDPOINTS]
    assert len(routes) == 11  # 9, and the projects' list and detail (issue 23)
    for name, path in routes:
        assert path in schema["paths"], (name, path)
        operation = schema["paths"][path]["get"]
        assert operation.get("summary") and "200" in operation["responses"], path
        # The token is documented, and anonymous use is allowed.
        assert {"personalToken": []} in operation["security"] and {} in operation["security"]
    # No undocumented extras either.
    assert set(schema["paths"]) == {path for _name, path in routes}
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_every_answer_is_documented(schema):
    """What schemathesis checks in tests/test_api_contract.py, read here as
    a client reads the schema: the error answers and their bodies."""
    components = schema["components"]["schemas"]
    assert components["Error"]["properties"] == {"detail": {"type": "string"}}
    assert components["FieldErrors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    lists = {"/api/v1/indicators/", "/api/v1/quarter-results/", "/api/v1/fiscal-years/", "/api/v1/strategy/",
             "/api/v1/agencies/", "/api/v1/projects/"}
    details = {"/api/v1/indicators/{year}/{code}/", "/api/v1/projects/{year}/{code}/", "/api/v1/scorecards/{year}/", "/api/v1/scorecards/{year}/{agency}/"}
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        expected = {"200", "401", "429"} | ({"304"} if path != "/api/v1/" else set())
        if path in lists:
            expected |= {"400", "404"}
            assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/FieldErrors")
        if path in details:
            expected |= {"404"}
            assert "the same answer" in responses["404"]["description"]
        assert set(responses) == expected, path
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter["allowEmptyValue"] is True, (path, parameter["name"])


def test_filters_over_data_are_not_enums_and_paging_is_bounded(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/quarter-results/"]["get"]["parameters"]}
    for name in ("year", "agency", "group", "strategy", "category"):
        assert "enum" not in parameters[name]["schema"]
        assert "selects nothing: an empty list" in parameters[name]["description"]
    assert parameters["status"]["schema"]["enum"] == ["met", "not_met", "not_reported", "pending"]
    assert parameters["of_quarter"]["schema"]["enum"] == [1, 2, 3, 4]
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}


def test_list_endpoints_document_filters_pagination_and_fields(schema):
    operation = schema["paths"]["/api/v1/indicators/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert parameters == {"year", "q", "agency", "group", "strategy", "category", "status", "quarter", "sort",
                          "page", "page_size"}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"count", "next", "previous", "results"}
    quarter = schema["components"]["schemas"]["Quarter"]["properties"]
    assert quarter["status"]["$ref"].endswith("/QuarterStatusEnum")
    assert set(schema["components"]["schemas"]["QuarterStatusEnum"]["enum"]) == {"accepted", "pending",
                                                                                 *QuarterResult.Status.values}


@pytest.mark.django_db
def test_answers_have_exactly_the_documented_fields(client, schema):
    """What the views return is what the schema says (the serializers write
    both): compare the keys of real answers with the documented properties."""
    year = FiscalYearFactory(year=2569, published=True)
    indicator = IndicatorFactory(fiscal_year=year, owner=AgencyFactory())
    QuarterResult.objects.create(indicator=indicator, quarter=1, value=5, status="accepted", score_confirmed=5)
    components = schema["components"]["schemas"]

    def properties(name):
        return set(components[name]["properties"])

    detail = json.loads(client.get(f"/api/v1/indicators/2569/{indicator.code}/").content)
    assert set(detail) == properties("IndicatorDetail")
    assert set(detail["quarters"][0]) == properties("Quarter")
    listed = json.loads(client.get("/api/v1/indicators/").content)["results"][0]
    assert set(listed) == properties("Indicator")
    row = json.loads(client.get("/api/v1/quarter-results/").content)["results"][0]
    assert set(row) == properties("QuarterResult")
    _token, raw = ApiToken.issue(UserFactory(role="manager"), "t")
    card = json.loads(client.get(f"/api/v1/scorecards/2569/{indicator.owner.code}/",
                                 HTTP_AUTHORIZATION=f"Bearer {raw}").content)
    assert set(card) == properties("Scorecard") and set(card["rows"][0]) == properties("ScoredIndicator")


def test_the_docs_page_uses_the_installed_swagger_ui(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html  # the site's CSP allows neither
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    assert "cdn" not in html.lower()
