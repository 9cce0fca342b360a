from django.urls import path

from . import views_print

app_name = "printing"

urlpatterns = [
    path("indicators/<int:year>/<code:code>/sheet.pdf", views_print.sheet_pdf, name="sheet"),
    path("reports/book/", views_print.book_form, name="book_form"),
    path("reports/book.pdf", views_print.book_pdf, name="book"),
]
