"""What the API answers, field by field: these serializers write every
answer (from public/records.py's plain data, or model rows), so the OpenAPI
schema drf-spectacular makes from them is what clients get."""

from rest_framework import serializers

from indicators import public, rules
from indicators.models import Agency, FiscalYear, Indicator, QuarterResult, StrategyNode
from indicators.selectors import browse as selectors_browse

QUANTITY = {"max_digits": 24, "decimal_places": 4, "coerce_to_string": False}
SCORE = {"max_digits": 7, "decimal_places": 2, "coerce_to_string": False}
LEVEL = {"max_digits": 7, "decimal_places": 4, "coerce_to_string": False}

QUARTER_STATUSES = [
    (public.PUBLISHED, "accepted: the evaluator accepted the quarter (the only figures the public sees)"),
    (public.PENDING, "pending (public only): not accepted yet; no figures"),
    *[(value, f"{value} (signed-in token only)") for value in QuarterResult.Status.values
      if value != QuarterResult.Status.ACCEPTED],
]
YEAR_STATUSES = [(status, status) for status in selectors_browse.STATUSES]


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    target = serializers.DecimalField(**QUANTITY, help_text="The quarter's milestone, else the annual target.")
    value = serializers.DecimalField(**QUANTITY, allow_null=True,
                                     help_text="The quarter's result; null while pending or not reported.")
    value_to_date = serializers.DecimalField(
        **QUANTITY, allow_null=True,
        help_text="Quarters 1..n by the indicator's aggregation: what the quarter is judged by.")
    achievement = serializers.DecimalField(
        **SCORE, allow_null=True, help_text="Achievement in percent (0-100), once the quarter is evaluated.")
    score_self = serializers.DecimalField(**SCORE, allow_null=True, help_text="Score 2.1.")
    score_confirmed = serializers.DecimalField(**SCORE, allow_null=True, help_text="Score 2.2, the evaluator's.")
    status = serializers.ChoiceField(choices=QUARTER_STATUSES)
    status_label = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Fiscal year (Buddhist Era).")
    code = serializers.CharField()
    name = serializers.CharField()
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    agency_short_name = serializers.CharField()
    district_group = serializers.CharField(allow_null=True)
    district_group_name = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    result_chain_level = serializers.CharField()
    unit = serializers.CharField()
    annual_target = serializers.DecimalField(**QUANTITY)
    weight = serializers.DecimalField(**SCORE)
    aggregation = serializers.ChoiceField(choices=Indicator.Aggregation.choices)
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices)
    decimal_places = serializers.IntegerField()
    strategy = serializers.ListField(child=serializers.CharField(), help_text="Codes of the strategy nodes supported.")
    achieved = serializers.DecimalField(
        **QUANTITY, allow_null=True,
        help_text="Value achieved so far (public: as of the latest accepted quarter, `achieved_quarter`).")
    achieved_quarter = serializers.IntegerField(allow_null=True)
    status_quarter = serializers.IntegerField(help_text="The quarter `status` is at (the `quarter` parameter).")
    status = serializers.ChoiceField(choices=YEAR_STATUSES,
                                     help_text="met, not_met, pending; not_reported for signed-in tokens only.")
    status_label = serializers.CharField()
    quarters = QuarterSerializer(many=True)
    page_url = serializers.CharField(help_text="The indicator's page on the public site.")
    url = serializers.CharField(help_text="This indicator in the API.")


class NarrativePartSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="District group.")
    text = serializers.CharField()


class NarrativeSerializer(serializers.Serializer):
    quarter = serializers.IntegerField()
    text = serializers.CharField(help_text="The report on the indicator as a whole; empty while pending.")
    district_groups = NarrativePartSerializer(many=True)


class IndicatorDetailSerializer(IndicatorSerializer):
    definition = serializers.CharField()
    calculation_method = serializers.CharField()
    data_sources = serializers.CharField()
    supporting_projects = serializers.CharField()
    operations_summary = serializers.CharField(help_text="Public: once quarter 4 is accepted.")
    criteria = serializers.ListField(child=serializers.DecimalField(**QUANTITY), allow_null=True,
                                     help_text="The results that earn levels 1-5, if set.")
    narratives = NarrativeSerializer(many=True)


class QuarterResultSerializer(QuarterSerializer):
    year = serializers.IntegerField()
    code = serializers.CharField()
    agency_code = serializers.CharField()


class FiscalYearSerializer(serializers.ModelSerializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    class Meta:
        model = FiscalYear
        fields = ["year", "starts_on", "ends_on", "scoring_scheme", "published"]


class AgencySerializer(serializers.ModelSerializer):
    district_group = serializers.CharField(source="district_group.code", allow_null=True, default=None)
    district_group_name = serializers.CharField(source="district_group.name", allow_null=True, default=None)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "district_group", "district_group_name"]


class StrategyNodeSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = StrategyNode
        fields = ["code", "level", "level_label", "title", "parent"]


class ScoredIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    weight = serializers.DecimalField(**SCORE)
    as_of_quarter = serializers.IntegerField(allow_null=True)
    value_to_date = serializers.DecimalField(**QUANTITY, allow_null=True)
    score_self = serializers.DecimalField(**SCORE, allow_null=True)
    score_confirmed = serializers.DecimalField(**SCORE, allow_null=True)
    level = serializers.DecimalField(**LEVEL, allow_null=True)
    final = serializers.BooleanField()
    score = serializers.DecimalField(**LEVEL, allow_null=True, help_text="What the year's scheme counts.")
    contribution = serializers.DecimalField(**LEVEL, allow_null=True)


class ScorecardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    scheme = serializers.ChoiceField(choices=[rules.PERCENT_SCHEME, rules.FIVE_LEVEL_SCHEME])
    total = serializers.DecimalField(**LEVEL, allow_null=True)
    weight_sum = serializers.DecimalField(**SCORE)
    indicator_count = serializers.IntegerField()
    pending_count = serializers.IntegerField()
    final = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    rows = ScoredIndicatorSerializer(many=True)


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    district_group = serializers.CharField(source="agency.district_group.code", allow_null=True, default=None)
    total = serializers.DecimalField(source="summary.total", **LEVEL, allow_null=True)
    weight_sum = serializers.DecimalField(source="summary.weight_sum", **SCORE)
    indicator_count = serializers.IntegerField(source="summary.indicator_count")
    pending_count = serializers.IntegerField(source="summary.pending_count")
    final = serializers.BooleanField(source="summary.final")


class RankingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    scheme = serializers.ChoiceField(choices=[rules.PERCENT_SCHEME, rules.FIVE_LEVEL_SCHEME])
    standings = StandingSerializer(many=True)


# --- what the API answers when it does not answer with data -------------------

class ErrorSerializer(serializers.Serializer):
    """401, 404, 429: what went wrong, in Thai. Every 404 has the same body,
    {"detail": "ไม่พบ"}, whether the thing is missing or hidden from the
    caller; a page past the last is {"detail": "หน้าไม่ถูกต้อง"}."""

    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """400: each refused parameter with its messages, in Thai, e.g.
    {"status": ["เลือกตัวเลือกที่ถูกต้อง …"]}. Its schema (an object of
    message lists, keyed by parameter) is written by api/schema.py."""


# --- projects (issue 23) ------------------------------------------------------

MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": False}
PROJECT_STANDINGS = [("not_started", "not_started"), ("on_plan", "on_plan"), ("behind", "behind"),
                     ("overdue", "overdue"), ("finished", "finished")]
UPDATE_STATUSES = [("accepted", "accepted (the only updates the public sees)"),
                   *[(value, f"{value} (signed-in token only)") for value in ("draft", "submitted", "returned")]]


class ProjectSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Fiscal year (Buddhist Era).")
    code = serializers.CharField()
    name = serializers.CharField()
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    budget_allocated = serializers.DecimalField(**MONEY, allow_null=True)
    planned_start = serializers.DateField(allow_null=True)
    planned_finish = serializers.DateField(allow_null=True)
    progress = serializers.DecimalField(**SCORE, allow_null=True, help_text=(
        "Latest reported progress in percent (public: the latest accepted update's)."))
    disbursed = serializers.DecimalField(**MONEY, allow_null=True, help_text="Disbursed to date (baht).")
    disbursed_percent = serializers.DecimalField(**SCORE, allow_null=True)
    standing = serializers.ChoiceField(choices=PROJECT_STANDINGS)
    url = serializers.CharField(help_text="This project in the API.")


class MilestoneSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.DecimalField(**SCORE)
    planned_start = serializers.DateField(allow_null=True)
    planned_finish = serializers.DateField(allow_null=True)
    percent = serializers.DecimalField(**SCORE, allow_null=True, help_text="As the latest counted update reports it.")
    overdue = serializers.BooleanField()


class ProjectUpdateSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    status = serializers.ChoiceField(choices=UPDATE_STATUSES)
    progress = serializers.DecimalField(**SCORE, allow_null=True)
    disbursed = serializers.DecimalField(**MONEY, allow_null=True)
    planned_disbursement = serializers.DecimalField(**MONEY, allow_null=True)
    narrative = serializers.CharField()
    problems = serializers.CharField()
    delay_reason = serializers.CharField()
    score = serializers.DecimalField(**SCORE, allow_null=True, help_text="สยป.'s project score for the quarter.")


class ProjectDetailSerializer(ProjectSerializer):
    rationale = serializers.CharField()
    objectives = serializers.CharField()
    target_group = serializers.CharField()
    budget_source = serializers.CharField()
    actual_start = serializers.DateField(allow_null=True)
    actual_finish = serializers.DateField(allow_null=True)
    districts = serializers.ListField(child=serializers.CharField(), help_text="Codes of the district offices.")
    indicators = serializers.ListField(child=serializers.CharField(), help_text="Codes of the indicators supported.")
    continues_from = serializers.CharField(allow_null=True, help_text="Last year's project: its code.")
    milestones = MilestoneSerializer(many=True)
    updates = ProjectUpdateSerializer(many=True)
