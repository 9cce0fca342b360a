"""In a real browser: the book form says how many sheets the book will
make, and why it cannot be printed, as the choices change, before
anything is submitted."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_book_form_counts_its_sheets_as_the_choices_change(seed, page, login, make_user):
    manager = make_user("manager")
    manager.set_password("pass-1234-word")
    manager.save()
    login(manager.username, "pass-1234-word")
    page.goto("/reports/book/")
    size = page.locator("#book-size")
    page.select_option("#id_year", "2563")
    expect(size).to_have_text("จะได้ 1 แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)")
    page.select_option("#id_agency", "2100")
    page.select_option("#id_district_group", "bangkok-east")
    expect(size).to_contain_text("ไม่อยู่ในกลุ่มกรุงเทพตะวันออก")
    expect(size).to_have_class("fw-semibold text-danger")
    page.select_option("#id_district_group", "")
    expect(size).to_have_text("จะได้ 1 แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)")
