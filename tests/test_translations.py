"""English: every interface string of the code has an English translation
in the compiled catalogue, English lives under /en/ while every Thai URL
stays as it was, and English dates are Gregorian with the Buddhist Era year
of a fiscal year in brackets."""

import ast
import datetime
import io
import tokenize
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from indicators import text

from .helpers import page_text
from .pytest_fixtures import SEED_URL

ROOT = Path(settings.BASE_DIR)
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "npgettext", "npgettext_lazy"}


def _message(name, args):
    """The catalogue key of a gettext call: msgid, (msgid, 0) for plurals,
    "context\\x04msgid" with a context."""
    msgid = f"{args[0]}\x04{args[1]}" if "pgettext" in name else args[0]
    return (msgid, 0) if name.startswith("n") else msgid


def template_messages(source):
    """The messages of a template, found as makemessages finds them (Django's
    templatize turns {% translate %} and {% blocktranslate %} into gettext calls)."""
    tokens = [tok for line in templatize(source).splitlines()
              for tok in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)]
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.NAME and tok.string in GETTEXT_CALLS and tokens[i + 1].string == "(":
            args, j = [], i + 2
            while tokens[j].type == tokenize.STRING:
                args.append(ast.literal_eval(tokens[j].string))
                j += 2 if tokens[j + 1].string == "," else 1
            if args:
                yield _message(tok.string, args)


def python_messages(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name in GETTEXT_CALLS and args:
                yield _message(name, args)


def all_messages():
    found = {}
    for path in sorted([*(ROOT / "templates").rglob("*"), *ROOT.glob("*/templates/**/*")]):
        if path.suffix in (".html", ".txt"):
            for message in template_messages(path.read_text(encoding="utf-8")):
                found.setdefault(message, path.relative_to(ROOT))
    for app in ("config", "web", "indicators", "reports", "notifications", "public", "api", "demo"):
        for path in sorted((ROOT / app).rglob("*.py")):
            for message in python_messages(path.read_text(encoding="utf-8")):
                found.setdefault(message, path.relative_to(ROOT))
    return found


def test_every_interface_string_has_an_english_translation():
    catalogue = trans_real.translation("en")._catalog
    messages = all_messages()
    assert len(messages) > 500  # the extraction itself works
    missing = [f"{where}: {message!r}" for message, where in messages.items() if not catalogue.get(message)]
    assert not missing, (
        f"{len(missing)} strings have no English translation (make messages, translate them in "
        "locale/en/LC_MESSAGES/django.po, compile):\n" + "\n".join(missing))


def test_the_extraction_sees_template_and_python_strings():
    assert "ตัวชี้วัด ปีงบประมาณ %(y)s" in set(template_messages(
        '{% load i18n %}{% blocktranslate with y=year.year %}ตัวชี้วัด ปีงบประมาณ {{ y }}{% endblocktranslate %}'))
    assert list(python_messages('_("ผลงาน")\nngettext("ก %(n)s", "ข %(n)s", n)')) == ["ผลงาน", ("ก %(n)s", 0)]


def test_dates_and_fiscal_years_in_english_and_thai():
    day = datetime.date(2020, 1, 29)
    assert text.thai_date(day) == "29 ม.ค. 2563"
    assert text.thai_date(day, "en") == "29 Jan 2020"
    assert text.fiscal_year_label(2569) == "2569"
    assert text.fiscal_year_label(2569, "en") == "2026 (BE 2569)"


@pytest.mark.django_db
def test_seed_page_in_english_shows_english_labels_with_thai_data(seed, manager_client):
    body = page_text(manager_client.get("/en" + SEED_URL))
    for label in ("Indicator details", "Target", "Result", "Quarter 1", "Report, quarter 1",
                  "Fiscal year 2020 (BE 2563)", "Results against targets by quarter", "Weight"):
        assert label in body, label
    assert seed.name in body  # the data stays Thai
    assert "ผลงานเทียบกับเป้าหมายรายไตรมาส" not in body
    # The switch leads back to the same page in Thai.
    assert 'href="/indicators/2563/2100-1037/" lang="th"' in manager_client.get("/en" + SEED_URL).content.decode()


@pytest.mark.django_db
def test_thai_stays_at_the_urls_it_always_had(seed, manager_client):
    response = manager_client.get(SEED_URL, HTTP_ACCEPT_LANGUAGE="en")
    body = page_text(response)
    assert "ผลงานเทียบกับเป้าหมายรายไตรมาส" in body and "ปีงบประมาณ 2563" in body
    assert f'href="/en{SEED_URL}" lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_signing_in_from_an_english_page_stays_in_english(client):
    response = client.get("/en/reports/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    assert "Sign in" in page_text(client.get(response["Location"]))
