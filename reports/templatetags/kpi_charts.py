from django import template

from ..charts import chart_for_sheet, quarter_chart as chart_geometry

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
    same code year by year (indicators/selectors/trend.py), as inline SVG."""
    return {"chart": chart_geometry(points, indicator.decimal_places, indicator.unit), "chart_id": indicator.pk}
