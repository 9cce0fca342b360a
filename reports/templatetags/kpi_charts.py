from django import template

from ..charts import chart_for_sheet
from ..charts import quarter_chart as chart_geometry

register = template.Library()


@register.inclusion_tag("reports/_quarter_chart.html")
def quarter_chart(sheet, missing_label=""):
    """{% quarter_chart sheet %}: the results-against-targets chart of one
    indicator's sheet, as inline SVG. Works from the built sheet, so it adds
    no queries. `missing_label`: what a quarter without a bar says, if not
    "ยังไม่รายงาน"."""
    return {"chart": chart_for_sheet(sheet, missing_label), "chart_id": sheet.indicator.pk}


@register.inclusion_tag("reports/_trend_chart.html")
def trend_chart(points, indicator):
    """{% trend_chart trend indicator %}: target and achieved value of the
    same code year by year (indicators/selectors/trend.py), as inline SVG,
    on one axis in the shown indicator's unit: a year measured otherwise
    (another unit, aggregation or direction) is left off and named beside
    the chart, and with no other year left there is no chart."""
    drawn = [point for point in points if point.comparable]
    chart = chart_geometry(drawn, indicator.decimal_places, indicator.unit) if len(drawn) > 1 else None
    return {"chart": chart, "chart_id": indicator.pk, "left_out": [point for point in points if not point.comparable],
            "unit": indicator.unit}
