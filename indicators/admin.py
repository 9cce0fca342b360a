from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, DistrictGroup, FiscalYear, Indicator, Quarter, QuarterResult, StrategyNode


class QuarterInline(admin.TabularInline):
    model = Quarter
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    inlines = [QuarterInline]


@admin.register(DistrictGroup)
class DistrictGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "district_group"]
    list_filter = ["kind", "district_group"]
    search_fields = ["code", "name", "short_name"]
    filter_horizontal = ["members"]


@admin.register(StrategyNode)
class StrategyNodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title"]
    list_filter = ["level"]


class QuarterResultInline(admin.TabularInline):
    model = QuarterResult
    extra = 0
    fields = ["quarter", "target", "value", "score_self", "score_confirmed", "status"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "fiscal_year", "owner"]
    list_filter = ["fiscal_year", "owner"]
    search_fields = ["code", "name"]
    filter_horizontal = ["strategy_nodes"]
    inlines = [QuarterResultInline]
