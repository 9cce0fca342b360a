from django import template

from ..charts import chart_for_sheet

register = template.Library()


@register.inclusion_tag("reports/_quarter_chart.html")
def quarter_chart(sheet):
    """{% quarter_chart sheet %}: the results-against-targets chart of one
    indicator's sheet, as inline SVG. Works from the built sheet, so it adds
    no queries."""
    return {"chart": chart_for_sheet(sheet), "chart_id": sheet.indicator.pk}
