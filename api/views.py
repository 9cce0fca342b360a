"""The read-only JSON API at /api/v1/.

Who sees what is decided once, by the caller: an anonymous client gets
exactly the public data (Indicator.objects.public() with accepted quarters
only, indicators/public.py, as on the public site and in the open data); a
personal token (api.authentication) acts as its owner and gets what the
owner's pages show (permissions.visible_indicators, the staff list's rules).
Scorecards count provisional scores from results not yet accepted, so they
are for tokens whose owners may see them on their pages (never anonymous).
Whatever the caller may not see is answered as missing (404, the same body).

Lists are paginated (?page=, ?page_size= up to 200) and filtered by the same
codes as the list page (indicators/filters.py): a value outside a documented
choice is a 400, a year, agency, group, node or category that names nothing
selects nothing (an empty list). api/schema.py documents every answer of
every view, and tests/test_api_contract.py runs schemathesis against it.
Each answer is cached per version of its data and of who asks, and carries
ETag and Last-Modified (public/caching.py); anonymous clients are rate
limited (api.throttling)."""

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, mixins
from rest_framework import serializers as drf_serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from evaluation import scorecards
from evaluation.selectors import scorecard as selectors_scorecard
from indicators import permissions
from indicators.filters import filter_for
from indicators.models import QUARTERS, Agency, FiscalYear, Indicator, StrategyNode
from indicators.selectors import browse as selectors_browse
from public import caching, records
from public import selectors as selectors_public
from public.filters import public_filter_for
from public.opendata import strategy_codes
from public.sheet import build_public_sheet
from reports.sheet import build_sheet, with_sheet_relations

from . import schema, serializers

# The list page's filters (indicators/filters.py), and the API's paging.
LIST_FILTERS = ("year", "q", "agency", "group", "strategy", "category", "status", "quarter", "sort")
PAGING = ("page", "page_size")


# The list's filters whose values are data (years, agencies, district
# groups, strategy nodes, categories: made in the admin, by the yearly
# rollover or an import): a value that names none of them, or none the
# caller may see, selects nothing, as a search that matches nothing. The
# schema does not enumerate them: its values would change with the data
# (a client generated from it would refuse next year), differ by caller
# (the public has the published years only) and tell the public which
# unpublished years exist.
SELECTING = ("year", "agency", "group", "strategy", "category")

# No code, name or search holds a NUL character (PostgreSQL cannot even
# compare one): refused before it reaches a query (schema.NO_NUL).
NUL_MESSAGE = _("ห้ามมีอักขระ NUL (0x00)")
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """?page_size=: a whole number from 1 (400 otherwise, rather than the
        default in silence); more than 200 gives 200; empty or left out, 50."""
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("จำนวนต่อหน้าต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.page_query_param, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1},
             "description": "Page number, from 1. A page past the last (or below 1, or not a number) is a 404."},
            {"name": self.page_size_query_param, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1},
             "description": f"Records per page: {self.page_size} by default, at most {self.max_page_size} "
                            f"(a larger value gives {self.max_page_size}); not a whole number from 1: 400."},
        ]


def scope_of(user: permissions.AnyUser) -> str:
    """Who an answer is for, as far as it differs: the public, everything,
    one set of agencies (a reporter), or nothing."""
    if not user.is_authenticated:
        return "public"
    if permissions.reads_everything(user):
        return "all"
    if permissions.has_role(user, permissions.REPORTER):
        return "agencies:" + ",".join(str(pk) for pk in sorted(permissions.agency_ids_of(user)))
    return "none"


class ApiView(GenericAPIView):
    """Read-only (GET, HEAD, OPTIONS); answers cached and conditional."""

    http_method_names = ["get", "head", "options"]
    pagination_class = Pagination
    # Parameters this view reads; anything else is ignored (and so cannot
    # make a new cache entry).
    parameters: Sequence[str] = PAGING

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any("\x00" in str(value) for value in kwargs.values()):
            raise exceptions.NotFound()
        refused = {name: [NUL_MESSAGE] for name, values in request.query_params.lists()
                   if name in self.parameters and any("\x00" in value for value in values)}
        if refused:
            raise exceptions.ValidationError(refused)

    @property
    def is_public(self) -> bool:
        return not self.request.user.is_authenticated

    def query(self):
        return caching.clean_query(self.request.query_params, self.parameters)

    def versioned(self, kind: str, version: str, build: Callable[[], Any]) -> Response:
        """The answer for this request under the data `version`: 304 when
        the client has it, from the cache when another client asked, else
        build()'s data (cached)."""
        request = self.request
        key = caching.key_for(f"api-{kind}", version, scope_of(request.user), request.build_absolute_uri("/"),
                              request.path, self.query().urlencode())
        private = not self.is_public
        unchanged = caching.not_modified(request, key, private)
        if unchanged is not None:
            return unchanged
        data = caching.get(key)
        if data is None:
            data = build()
            caching.put(key, data)
        return caching.stamp(Response(data), key, private)

    def hashed(self, data: Any) -> Response:
        """For small answers with no data version: ETag from the content."""
        body = JSONRenderer().render(data)
        key = f"public:content:{hashlib.sha256(body).hexdigest()}"
        private = not self.is_public
        unchanged = caching.not_modified(self.request, key, private)
        if unchanged is not None:
            return unchanged
        return caching.stamp(Response(data), key, private)

    def paginated(self, sequence: Any, serializer_class: type[drf_serializers.Serializer]) -> Any:
        page = self.paginate_queryset(sequence)
        return self.get_paginated_response(serializer_class(page, many=True).data).data


@contextmanager
def hidden_as_missing() -> Iterator[None]:
    """What the caller may not see does not exist for them: the 404 of a
    missing one, with the same body, never a 403 that would confirm that
    the code is there (the staff pages' lookups, permissions.indicator_for
    and agency_for, refuse another agency's with PermissionDenied)."""
    try:
        yield
    except PermissionDenied:
        raise exceptions.NotFound() from None


# --- the caller's indicators ------------------------------------------------

def years_for(user: permissions.AnyUser) -> list[FiscalYear]:
    if not user.is_authenticated:
        return selectors_public.published_years()
    return selectors_browse.fiscal_years()


def chosen_year(query, years: list[FiscalYear]) -> int | None:
    """The ?year= asked for, else the latest year the caller may see (as the
    list page), for the data version; the filter checks it."""
    year = query.get("year", "")
    if year.isdigit():
        return int(year)
    return years[0].year if years else None


def year_version(year: int | None) -> str:
    return selectors_public.data_version(Indicator.objects.filter(fiscal_year__year=year))


class Flat:
    """A sequence of records, `per_indicator` for each indicator of a
    queryset, that paginates without loading more than the indicators of
    the page (Django's Paginator reads count() and slices)."""

    def __init__(self, indicators: QuerySet[Indicator], per_indicator: int,
                 build: Callable[[list[Indicator]], list[Any]]):
        self.indicators, self.per_indicator, self.build = indicators, per_indicator, build

    def count(self) -> int:
        return self.indicators.count() * self.per_indicator

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice) -> list[Any]:
        start, stop = bounds.start or 0, bounds.stop
        first = start // self.per_indicator
        last = -(-stop // self.per_indicator)
        loaded = self.build(list(self.indicators[first:last]))
        offset = first * self.per_indicator
        return loaded[start - offset:stop - offset]


def subjects(user: permissions.AnyUser, indicators: list[Indicator], quarter: int) -> list[records.Subject]:
    """The records' subjects for a page of indicators (one query for their
    quarters): masked for the public, as the staff pages for a token."""
    if not user.is_authenticated:
        return [records.public_subject(row) for row in selectors_public.public_rows(indicators, quarter)]
    results = selectors_browse.results_by_indicator(indicators)
    return [records.staff_subject(indicator, results.get(indicator.pk, {}), quarter) for indicator in indicators]


def selects_nothing(name: str, value: str | None) -> bool:
    """Whether a value the list's form refused is of the documented kind
    and only names nothing there (SELECTING), or a staff status asked for
    by the public (no public indicator has it)."""
    return name in SELECTING or (name == "status" and value in selectors_browse.STATUSES)


def filtered(view: ApiView) -> tuple[Any, list[FiscalYear]]:
    """The list's FilterSet for the caller, on the cleaned query: 400 with
    the form's messages for a value outside the documented ones; a value
    that only names nothing leaves the form invalid, and the FilterSet's
    queryset empty."""
    query = view.query()
    user = view.request.user
    year = query.get("year")
    if year is not None and not WHOLE_NUMBER.fullmatch(year):
        raise exceptions.ValidationError({"year": [drf_serializers.IntegerField.default_error_messages["invalid"]]})
    filterset, years = public_filter_for(query) if not user.is_authenticated else filter_for(user, query)
    if not filterset.form.is_valid():
        refused = {name: errors for name, errors in filterset.form.errors.items()
                   if not selects_nothing(name, query.get(name))}
        if refused:
            raise exceptions.ValidationError(refused)
    return filterset, years


@schema.documented("indicators", "indicators_list", "Indicators of a fiscal year, filtered as the list page",
                   serializers.IndicatorSerializer, paged=True, parameters=schema.filter_parameters())
class IndicatorList(mixins.ListModelMixin, ApiView):
    serializer_class = serializers.IndicatorSerializer
    parameters = (*LIST_FILTERS, *PAGING)

    def get(self, request):
        query = self.query()
        year = chosen_year(query, years_for(request.user))

        def build():
            filterset, _years = filtered(self)
            quarter = filterset.status_quarter

            def load(indicators: list[Indicator]) -> list[dict[str, Any]]:
                codes = strategy_codes(indicators)
                return [records.indicator_record(subject, codes.get(subject.indicator.pk, []))
                        for subject in subjects(request.user, indicators, quarter)]

            return self.paginated(Flat(filterset.qs, 1, load), serializers.IndicatorSerializer)

        return self.versioned("indicators", year_version(year), build)


@schema.documented("indicators", "indicators_retrieve", "One indicator: its quarters, texts and narratives",
                   serializers.IndicatorDetailSerializer, errors={404: schema.missing("such indicator in that year")},
                   parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH, description="Fiscal year (B.E.)"),
                               OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=schema.NO_NUL,
                                                description="Indicator code")])
class IndicatorDetail(ApiView):
    serializer_class = serializers.IndicatorDetailSerializer
    parameters = ()

    def get(self, request, year, code):
        user = request.user
        if user.is_authenticated:
            with hidden_as_missing():
                indicator = permissions.indicator_for(user, year, code, queryset=Indicator.objects.only(
                    "id", "owner_id", "sheet_version"))
        else:
            indicator = get_object_or_404(Indicator.objects.public().only("id", "sheet_version"),
                                          fiscal_year__year=year, code=code)

        def build():
            if user.is_authenticated:
                loaded = with_sheet_relations().get(pk=indicator.pk)
                built = build_sheet(loaded)
                results = {r.quarter: r for r in loaded.quarter_results.all()}
                subject = records.staff_subject(loaded, results, QUARTERS[-1])
                summary = loaded.operations_summary
            else:
                loaded = selectors_public.with_public_sheet_relations().get(pk=indicator.pk)
                built = build_public_sheet(loaded)
                subject = records.Subject(loaded, built.quarters, built.achieved, built.achieved_quarter,
                                          built.status, QUARTERS[-1])
                summary = built.operations_summary
            return serializers.IndicatorDetailSerializer(records.detail_record(subject, built, summary)).data

        return self.versioned("indicator", f"{indicator.pk}.{indicator.sheet_version}", build)


@schema.documented("indicators", "quarter_results_list", "Quarter results, one record per indicator and quarter",
                   serializers.QuarterResultSerializer, paged=True,
                   parameters=[*schema.filter_parameters(), OpenApiParameter("of_quarter", int, enum=list(QUARTERS),
                                                                      description="Only this quarter's results.")])
class QuarterResultList(mixins.ListModelMixin, ApiView):
    """Every quarter (1-4) of each indicator the filters select, as the
    indicator's page shows it: for the public, figures of accepted quarters
    only (status `pending` and no figures otherwise)."""

    serializer_class = serializers.QuarterResultSerializer
    parameters = (*LIST_FILTERS, "of_quarter", *PAGING)

    def get(self, request):
        query = self.query()
        year = chosen_year(query, years_for(request.user))
        only = query.get("of_quarter", "")
        if only and only not in {str(q) for q in QUARTERS}:
            raise exceptions.ValidationError({"of_quarter": [_("ไตรมาสต้องเป็น 1, 2, 3 หรือ 4")]})
        numbers = [int(only)] if only else list(QUARTERS)

        def build():
            filterset, _years = filtered(self)

            def load(indicators: list[Indicator]) -> list[dict[str, Any]]:
                rows = []
                for subject in subjects(request.user, indicators, filterset.status_quarter):
                    ind = subject.indicator
                    for row in subject.quarters:
                        if row.number in numbers:
                            rows.append({"year": ind.fiscal_year.year, "code": ind.code,
                                         "agency_code": ind.owner.code, **records.quarter_record(row)})
                return rows

            return self.paginated(Flat(filterset.qs, len(numbers), load), serializers.QuarterResultSerializer)

        return self.versioned("quarters", year_version(year), build)


@schema.documented("plan", "fiscal_years_list", "Fiscal years (anonymous: the published ones)",
                   serializers.FiscalYearSerializer, paged=True)
class FiscalYearList(mixins.ListModelMixin, ApiView):
    serializer_class = serializers.FiscalYearSerializer

    def get(self, request):
        return self.hashed(self.paginated(years_for(request.user), serializers.FiscalYearSerializer))


@schema.documented("plan", "strategy_list", "The strategy plan's nodes (four levels), by code",
                   serializers.StrategyNodeSerializer, paged=True)
class StrategyList(mixins.ListModelMixin, ApiView):
    serializer_class = serializers.StrategyNodeSerializer

    def get(self, request):
        nodes = StrategyNode.objects.select_related("parent").order_by("code")
        return self.hashed(self.paginated(nodes, serializers.StrategyNodeSerializer))


@schema.documented("plan", "agencies_list", "Agencies (departments and district offices), by code",
                   serializers.AgencySerializer, paged=True)
class AgencyList(mixins.ListModelMixin, ApiView):
    serializer_class = serializers.AgencySerializer

    def get(self, request):
        agencies = Agency.objects.select_related("district_group").order_by("code")
        return self.hashed(self.paginated(agencies, serializers.AgencySerializer))


# --- scorecards: tokens only ------------------------------------------------

def signed_in(request) -> None:
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated(
            "Scorecards count provisional scores from results not yet accepted: they need a personal token.")


@schema.documented("scorecards", "scorecards_ranking",
                   "Ranking of agencies (tokens of managers, evaluators, administrators)",
                   serializers.RankingSerializer,
                   errors={401: schema.NO_TOKEN,
                           404: schema.missing("such fiscal year (or the token's owner may not see the ranking)")},
                   parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)])
class Ranking(ApiView):
    serializer_class = serializers.RankingSerializer
    pagination_class = None
    parameters = ()

    def get(self, request, year):
        signed_in(request)
        if not permissions.can_view_ranking(request.user):
            raise exceptions.NotFound()
        fiscal_year = get_object_or_404(FiscalYear, year=year)

        def build():
            summaries = selectors_scorecard.year_summaries(fiscal_year)
            standings = scorecards.ranking(selectors_scorecard.ranking_agencies(), summaries)
            return serializers.RankingSerializer({"year": year, "scheme": fiscal_year.scoring_scheme,
                                                  "standings": standings}).data

        return self.versioned("ranking", f"{year_version(year)}.{fiscal_year.scoring_scheme}."
                                         f"{fiscal_year.below_level_one_score}", build)


@schema.documented("scorecards", "scorecards_retrieve", "An agency's scorecard (tokens of those who may see it)",
                   serializers.ScorecardSerializer,
                   errors={401: schema.NO_TOKEN,
                           404: schema.missing("such fiscal year or agency (or another agency's, for a reporter)")},
                   parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH),
                               OpenApiParameter("agency", str, OpenApiParameter.PATH, pattern=schema.NO_NUL,
                                                description="Agency code")])
class Scorecard(ApiView):
    serializer_class = serializers.ScorecardSerializer
    pagination_class = None
    parameters = ()

    def get(self, request, year, agency):
        signed_in(request)
        with hidden_as_missing():
            found = permissions.agency_for(request.user, agency)
        fiscal_year = get_object_or_404(FiscalYear, year=year)

        def build():
            card = selectors_scorecard.agency_scorecard(fiscal_year, found)
            setattr(card, "year", year)
            return serializers.ScorecardSerializer(card).data

        return self.versioned("scorecard", f"{year_version(year)}.{fiscal_year.scoring_scheme}."
                                           f"{fiscal_year.below_level_one_score}.{found.pk}", build)


@schema.documented("api", "root", "The API's entry points", inline_serializer(
           "ApiRoot", {name: drf_serializers.CharField() for name in
                       ("fiscal_years", "indicators", "quarter_results", "strategy", "agencies", "schema", "docs")}),
                   conditional=False)
class Root(ApiView):
    pagination_class = None

    def get(self, request):
        return Response({
            "fiscal_years": reverse("api:fiscal-years"),
            "indicators": reverse("api:indicator-list"),
            "quarter_results": reverse("api:quarter-results"),
            "strategy": reverse("api:strategy"),
            "agencies": reverse("api:agencies"),
            "schema": reverse("api:schema"),
            "docs": reverse("api:docs"),
        })


def not_found(request, rest: str = "") -> JsonResponse:
    """Any other URL under /api/v1/ (a year that is not a number, a code
    with a slash): the API's 404 in JSON, not the site's HTML page."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404,
                        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
