"""Printing views: an indicator's sheet and a book of sheets as PDF. Thin:
permissions come from indicators.permissions, the work from printing.py."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.selectors.detail import with_sheet_relations
from indicators.models import FiscalYear

from .. import printing
from ..forms import BookFilterForm


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sheet_pdf(request, year, code):
    indicator = permissions.indicator_for(request.user, year, code, queryset=with_sheet_relations())
    pdf = printing.render_sheet_pdf(indicator, printing.stamp_for(request.user))
    return pdf_response(pdf, f"indicator-{year}-{code}.pdf")


def book_form(request):
    latest = FiscalYear.objects.order_by("-year").first()
    form = BookFilterForm(user=request.user, initial={"year": latest.year if latest else None})
    return render(request, "reports/book_form.html", {"form": form})


def book_pdf(request):
    form = BookFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "reports/book_form.html", {"form": form}, status=400)
    filter_name, value = form.chosen()
    if filter_name == "agency" and not permissions.can_view_agency(request.user, value):
        raise PermissionDenied
    year = form.cleaned_data["year"]
    queryset = printing.book_queryset(request.user, year, filter_name, value)
    count = queryset.count()
    if count == 0:
        message = _("ไม่มีตัวชี้วัดตามเงื่อนไขที่เลือก")
        return render(request, "reports/book_form.html", {"form": form, "message": message}, status=404)
    if count > printing.MAX_BOOK_INDICATORS:
        message = _(
            "ตัวชี้วัดตามเงื่อนไขนี้มี %(n)s รายการ เกินกว่าที่พิมพ์รวมเล่มได้ครั้งละ %(max)s รายการ กรุณาเลือกให้แคบลง"
        ) % {"n": count, "max": printing.MAX_BOOK_INDICATORS}
        return render(request, "reports/book_form.html", {"form": form, "message": message}, status=400)
    title, subtitle = printing.book_titles(year, filter_name, value)
    pdf = printing.render_book_pdf(
        printing.book_indicators(queryset), printing.stamp_for(request.user), title, subtitle
    )
    return pdf_response(pdf, f"indicators-{year.year}-{filter_name}-{getattr(value, 'code', value.pk)}.pdf")
