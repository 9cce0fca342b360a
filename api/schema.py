"""How the OpenAPI schema (drf-spectacular) describes the API: every answer
of each view (`documented`, the error answers, the list's filters), and
what it cannot read from the views: the token sign-in, the body of a 400,
empty parameters. tests/test_api_contract.py holds the API to it."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from indicators.filters import QUARTER_CHOICES
from indicators.selectors import browse as selectors_browse

from . import serializers

# A string parameter holds no NUL character (the views refuse one).
NO_NUL = r"^[^\x00]*$"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made on the tokens page (user menu → API tokens): "
                "`Authorization: Bearer kpi_…`. It sees what its owner's pages show. "
                "Without it the API answers with the public data only."
            ),
        }


class FieldErrorsScheme(OpenApiSerializerExtension):
    """A 400's body: no fixed fields, one list of messages per parameter."""

    target_class = "api.serializers.FieldErrorsSerializer"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Each refused parameter with its messages (Thai).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"status": ["เลือกตัวเลือกที่ถูกต้อง"]},
        }


def query_parameters_may_be_empty(result, generator, request, public):
    """A postprocessing hook: an empty query parameter (`?agency=&q=`, as the
    list page's form sends them) is the parameter left out, for every
    operation (public.caching.clean_query drops them); say so, as OpenAPI
    3.0's allowEmptyValue."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    parameter["allowEmptyValue"] = True
    return result


# The answers besides the data, as the schema documents them.
NOT_MODIFIED = OpenApiResponse(description="Not modified: the client's If-None-Match or If-Modified-Since holds.")
BAD_TOKEN = OpenApiResponse(serializers.ErrorSerializer, description=(
    "An Authorization header with no valid token (unknown, revoked, expired, its owner inactive, or "
    "malformed); without the header the API answers with the public data."))
THROTTLED = OpenApiResponse(serializers.ErrorSerializer, description="Too many requests; Retry-After says when "
                                                                     "to try again (API_ANON_RATE, API_TOKEN_RATE).")
REFUSED = OpenApiResponse(serializers.FieldErrorsSerializer, description=(
    "A parameter outside its documented values (an enumerated choice, a whole number, page_size from 1, "
    "no NUL character), with the messages per parameter. A year, agency, group, strategy node or category "
    "that names nothing the caller may see is not refused: it selects nothing (an empty list)."))
NO_TOKEN = OpenApiResponse(serializers.ErrorSerializer, description=(
    "No token (scorecards need one: they count results not yet accepted), or not a valid one."))
NO_PAGE = OpenApiResponse(serializers.ErrorSerializer, description=(
    "No such page (`page` past the last, below 1 or not a number): {\"detail\": \"หน้าไม่ถูกต้อง\"}."))


def missing(what: str) -> OpenApiResponse:
    """A detail's 404: missing and hidden answer alike (api.views.hidden_as_missing)."""
    return OpenApiResponse(serializers.ErrorSerializer, description=(
        f"No {what}, or one the caller may not see: the same answer, {{\"detail\": \"ไม่พบ\"}}, either way."))


def documented(tag: str, operation_id: str, summary: str, ok: Any, paged: bool = False,
               errors: dict[int, OpenApiResponse] | None = None, conditional: bool = True, **kwargs: Any) -> Any:
    """The OpenAPI description of a view's GET (drf-spectacular), with every
    answer it gives: `ok` (a page of them when `paged`), 304 (when
    `conditional`: ETag and Last-Modified), 401, 429, `errors`, and for a
    paged list 400 and 404."""
    responses: dict[int, Any] = {200: ok, 401: BAD_TOKEN, 429: THROTTLED}
    if conditional:
        responses[304] = NOT_MODIFIED
    if paged:
        responses.update({400: REFUSED, 404: NO_PAGE})
    responses.update(errors or {})
    return extend_schema_view(get=extend_schema(tags=[tag], operation_id=operation_id, summary=summary,
                                                responses=dict(sorted(responses.items())), **kwargs))


def filter_parameters() -> list[OpenApiParameter]:
    """The list's filters (indicators/filters.py) as the lists take them:
    the fixed choices as enums; the ones naming data (api.views.SELECTING)
    free, since a value naming nothing is an empty list, not an error."""
    nothing = " One that names none (or none the caller may see) selects nothing: an empty list."
    return [
        OpenApiParameter("year", int, description="Fiscal year (B.E.); default: the latest the caller may see."
                                                  + nothing),
        OpenApiParameter("q", str, pattern=NO_NUL, description="Search: part of the code or of the name."),
        OpenApiParameter("agency", str, pattern=NO_NUL, description="Agency code (see /agencies/)." + nothing),
        OpenApiParameter("group", str, pattern=NO_NUL, description="District group code (see /agencies/)."
                                                                   + nothing),
        OpenApiParameter("strategy", str, pattern=NO_NUL,
                         description="Strategy node code, at any level (see /strategy/)." + nothing),
        OpenApiParameter("category", str, pattern=NO_NUL, description="Indicator category, as written." + nothing),
        OpenApiParameter("status", str, enum=list(selectors_browse.STATUSES),
                         description="Status at `quarter` (public: met, not_met, pending, and not_reported "
                                     "selects nothing; tokens: all four, as the staff list)."),
        OpenApiParameter("quarter", int, enum=[value for value, _label in QUARTER_CHOICES],
                         description="The quarter the status is at; 4 (default) is the year."),
        OpenApiParameter("sort", str, enum=["code", "-code", "name", "-name", "agency", "-agency", "target",
                                            "-target"], description="Order; default: code."),
    ]
