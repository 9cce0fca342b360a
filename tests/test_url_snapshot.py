"""Every existing URL answers as before.

Each named URL pattern of the resolver (through every include, with its
namespace) is built with real arguments from one small dataset, requested with
GET as each role, and its status compared with tests/data/url_snapshot.json,
keyed by the pattern's path ("reports/jobs/<int:pk>/") and the role.

- A 301/308 answer is followed once and the final status compared: a URL
  moved behind a permanent redirect keeps the old entry green.
- A pattern of the snapshot that the resolver no longer has fails, unless its
  example path (built again from the recorded pattern) still answers through
  a permanent redirect, as recorded.
- A pattern the snapshot does not know yet is requested too (it must not fail
  with an error) and named in the failure output: record it.
- Unnamed patterns (the admin's catch-all and its old-style object links) are
  not covered: they cannot be reversed or told apart.

Record again after a deliberate change: UPDATE_URL_SNAPSHOT=1 pytest tests/test_url_snapshot.py
"""

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse, HttpResponseNotFound
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, re_path, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.generic import RedirectView
from django_tasks_db.models import DBTaskResult

from conversations import services as conversation_services
from notifications.models import DefaultPreference, Delivery, Kind, Preference, ReminderSettings, SentReminder
from projects.models import ProjectEvidence
from reports.models import Evidence

from .entry_support import open_indicator, png_file
from .factories import (
    AgencyFactory,
    DistrictGroupFactory,
    MilestoneFactory,
    NarrativeFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    QuarterResultFactory,
    StrategyNodeFactory,
    UserFactory,
)

SNAPSHOT = Path(__file__).parent / "data" / "url_snapshot.json"
ROLES = ["anonymous", "reporter_own", "reporter_other", "evaluator", "manager", "administrator", "superuser"]
PERMANENT = (301, 308)


def named_patterns(resolver=None, prefix="", namespace=None):
    """(path pattern, namespaced name) of every named pattern, in resolver order."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from named_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


# --- the dataset ----------------------------------------------------------

@pytest.fixture
def world(db, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Fixed codes: the recorded example paths do not depend on which tests ran before (ids still may).
    agency_a = AgencyFactory(code="9901", district_group=DistrictGroupFactory())
    agency_b = AgencyFactory(code="9902")
    StrategyNodeFactory()
    indicator = open_indicator(owner=agency_a, code="T-99001")
    indicator.fiscal_year.published = True  # the public site and the API show it
    indicator.fiscal_year.save()
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("5"), status="draft", version=1)
    NarrativeFactory(indicator=indicator, quarter=1)
    evidence = Evidence(indicator=indicator, quarter=1, original_name="หลักฐาน.png", content_type="image/png",
                        size=10)
    evidence.file.save("x", png_file(), save=False)
    evidence.save()
    open_indicator(owner=agency_b, fiscal_year=indicator.fiscal_year, code="T-99002")
    # A project of the same agency and year with an accepted quarter (the
    # public pages show it) and a file (the evidence download).
    project = ProjectFactory(fiscal_year=indicator.fiscal_year, owner=agency_a, code="9901-0001")
    project.indicators.add(indicator)
    MilestoneFactory(project=project, weight=Decimal(100))
    ProjectUpdateFactory(project=project, quarter=1, progress=Decimal(20), status="accepted", version=1)
    project_evidence = ProjectEvidence(project=project, quarter=1, original_name="หลักฐาน.png",
                                       content_type="image/png", size=10)
    project_evidence.file.save("x", png_file(), save=False)
    project_evidence.save()
    users = {
        "reporter_own": make_user("reporter", [agency_a]),
        "reporter_other": make_user("reporter", [agency_b]),
        "evaluator": make_user("evaluator"),
        "manager": make_user("manager"),
        "administrator": make_user("administrator"),
        "superuser": make_user("administrator"),
    }
    users["superuser"].is_staff = users["superuser"].is_superuser = True
    users["superuser"].save()
    owner = users["reporter_own"]
    book_job = owner.jobs.create(kind="book", title="เล่ม", params={"year": indicator.fiscal_year.year})
    import_job = users["administrator"].jobs.create(kind="import_check", title="นำเข้า.xlsx")
    rollover_job = users["administrator"].jobs.create(kind="rollover", title="ปีงบประมาณใหม่")
    notification = owner.notifications.create(kind=Kind.values[0], title="แจ้งเตือน",
                                              url=f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/")
    token, _raw = owner.api_tokens.model.issue(owner, "ทดสอบ")
    _admin_rows(indicator, owner)
    # A conversation on the quarter (its post, edit, resolve and history URLs).
    thread_message = conversation_services.start_thread(user=owner, quarter=1, text="สอบถาม",
                                                        indicator=indicator).message
    return {
        "indicator": indicator, "agency": agency_a, "evidence": evidence, "users": users, "token": token,
        "book_job": book_job, "import_job": import_job, "rollover_job": rollover_job, "project": project,
        "project_evidence": project_evidence,
        "notification": notification, "thread": thread_message.thread, "message": thread_message,
    }


def _admin_rows(indicator, owner):
    """One row of each model the admin lists, so its change pages have an object."""
    from indicators.models import AgencyApprover, ApproverStandIn

    # An approver outside the roles compared, so that no compared role changes.
    approver = AgencyApprover.objects.create(agency=indicator.owner, user=UserFactory(username="approver-of-a"))
    ApproverStandIn.objects.create(approver=approver.user, stand_in=UserFactory(username="stand-in-of-a"),
                                   starts_on=timezone.localdate(), ends_on=timezone.localdate())
    access = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "nobody-signs-in", "http_accept": "*/*",
              "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    DBTaskResult.objects.create(task_path="tests.nothing", args_kwargs={"args": [], "kwargs": {}},
                                backend_name="default", run_after=timezone.now(), exception_class_path="",
                                traceback="")
    if not DefaultPreference.objects.exists():
        DefaultPreference.objects.create(kind=Kind.values[0], delivery=Delivery.values[0])
    Preference.objects.create(user=owner, kind=Kind.values[0], delivery=Delivery.values[0])
    ReminderSettings.objects.get_or_create(fiscal_year=indicator.fiscal_year)
    SentReminder.objects.create(key="test-reminder", recipient=owner)


def admin_model(name):
    """The model of an admin URL name such as admin:indicators_indicator_change."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def first_pk(model, name):
    row = model._default_manager.order_by("pk").first()
    if row is None:
        raise AssertionError(f"{name}: the dataset has no {model._meta.label} to build its URL with")
    return row.pk


def argument(world, name, param):
    """A real value for one argument of the pattern `name`; fails for an
    argument it does not know how to fill."""
    indicator = world["indicator"]
    if param == "year":
        return indicator.fiscal_year.year
    if param == "code":
        return world["project"].code if "project" in name else indicator.code
    if param == "quarter":
        return 1
    if param == "fmt":
        return "csv"
    if param == "agency":
        return world["agency"].code
    if param == "rest":
        return "no/such/thing"
    if param == "uidb64":
        return urlsafe_base64_encode(force_bytes(world["users"]["reporter_own"].pk))
    if param == "token":
        return "not-a-valid-token"
    if param == "pk":
        by_name = {
            "printing:job": "book_job", "printing:job_status": "book_job", "printing:job_download": "book_job",
            "printing:job_retry": "book_job", "workbook:import_job": "import_job",
            "jobs:detail": "book_job", "jobs:status": "book_job", "jobs:download": "book_job",
            "jobs:retry": "book_job", "workbook:rollover_job": "rollover_job",
            "workbook:import_apply": "import_job", "entry:evidence": "evidence", "projects:evidence": "project_evidence",
            "notifications:open": "notification", "api_token_revoke": "token",
        }
        if name in by_name:
            return world[by_name[name]].pk
    if param == "thread_id":
        return world["thread"].pk
    if param == "message_id":
        return world["message"].pk
    if param == "app_label":
        return "indicators"
    if param == "content_type_id":
        return ContentType.objects.get_for_model(type(indicator)).pk
    if name == "admin:view_on_site" and param == "object_id":
        return indicator.pk
    if name.startswith("admin:") and name.endswith("_simple_history") and admin_model(name):
        # A history page: the first row of its model and that row's first history entry.
        row = admin_model(name).objects.order_by("pk").first()
        assert row is not None, f"{name}: the dataset has no row of its model; add one"
        return {0: row.pk, 1: row.history.order_by("history_id").first().history_id}[param]
    if param in ("object_id", "id") and admin_model(name):
        model = admin_model(name)
        if model is Group:
            return Group.objects.order_by("pk").first().pk
        return first_pk(model, name)
    raise AssertionError(f"{name}: no value for its argument {param!r} ({name}); teach argument() one")


PATH_ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<param>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<param>\w+)>[^)]*\)|\((?!\?)[^)]*\)")


def example_path(world, pattern, name):
    """The pattern with every argument filled in, as a path from the site's root."""
    if pattern.startswith("^") or "(?P<" in pattern or "([" in pattern:
        counter = iter(range(100))

        def regex_value(match):
            param = match.group("param")
            return str(argument(world, name, param if param else next(counter)))

        url = REGEX_GROUP.sub(regex_value, pattern.replace("^", "").replace("$", ""))
    else:
        url = PATH_ARGUMENT.sub(lambda m: str(argument(world, name, m.group("param"))), pattern)
    return "/" + url


def answer(client, url):
    """The status of a GET, a permanent redirect followed once."""
    response = client.get(url)
    if response.status_code in PERMANENT:
        response = client.get(response["Location"])
    return response.status_code


def clients(world):
    made = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["users"][role])
        made[role] = client
    return made


def observe(world, pattern, name, by_role):
    url = example_path(world, pattern, name)
    try:
        match = resolve(url.split("?")[0])
    except Resolver404 as err:
        raise AssertionError(f"{name}: its example path {url} does not resolve") from err
    if match.route.replace("^", "") != pattern.replace("^", ""):  # resolve() drops a regex's inner ^
        raise AssertionError(f"{name}: its example path {url} reaches {match.route!r}, not {pattern!r}")
    statuses = {}
    for role, client in by_role.items():
        try:
            statuses[role] = answer(client, url)
        except Exception as err:
            raise AssertionError(f"{name} ({url}) as {role}: the request raised {err!r}") from err
    return url, statuses


@pytest.mark.django_db
def test_every_url_answers_as_recorded(world):
    by_role = clients(world)
    current = {}
    for pattern, name in named_patterns():
        if pattern in current:
            raise AssertionError(f"two named patterns share the path {pattern!r}: {current[pattern]['name']}, {name}")
        url, statuses = observe(world, pattern, name, by_role)
        current[pattern] = {"name": name, "example": url, "statuses": statuses}

    if os.environ.get("UPDATE_URL_SNAPSHOT") == "1":
        # Patterns gone from the resolver stay recorded: their old paths must
        # go on answering (through a permanent redirect) after every re-record.
        kept = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
        names = {entry["name"] for entry in current.values()}
        kept = {pattern: entry for pattern, entry in kept.items() if not entry["name"] or entry["name"] not in names}
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps({**kept, **current}, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                            encoding="utf-8")
        pytest.skip(f"UPDATE_URL_SNAPSHOT=1: recorded {len(current)} patterns in {SNAPSHOT}")

    assert SNAPSHOT.exists(), f"no snapshot: record one with UPDATE_URL_SNAPSHOT=1 ({SNAPSHOT})"
    problems = differences(json.loads(SNAPSHOT.read_text(encoding="utf-8")), current, world, by_role)
    assert not problems, "URLs answer differently from tests/data/url_snapshot.json:\n" + "\n".join(problems)


def differences(recorded, current, world, by_role):
    """What answers otherwise than recorded, one line each."""
    problems = []
    for pattern, entry in recorded.items():
        renamed = [now for now in current.values() if entry["name"] and now["name"] == entry["name"]]
        if pattern in current:
            statuses = current[pattern]["statuses"]
        elif len(renamed) == 1:
            # The same named route whose pattern text changed (the admin's
            # app list names every app with models in its regex).
            statuses = renamed[0]["statuses"]
        else:
            # Gone from the resolver: its old path must still answer, through a permanent redirect.
            url = example_path(world, pattern, entry["name"])
            statuses = {}
            for role, client in by_role.items():
                first = client.get(url).status_code
                statuses[role] = answer(client, url) if first in PERMANENT else f"{first} (pattern gone, {url})"
        for role in ROLES:
            if statuses.get(role) != entry["statuses"].get(role):
                problems.append(f"{pattern!r} ({entry['name']}) as {role}: {statuses.get(role)}, "
                                f"recorded {entry['statuses'].get(role)}")
    new = sorted(set(current) - set(recorded))
    problems += [f"{pattern!r} ({current[pattern]['name']}) is not in the snapshot: record it" for pattern in new]
    return problems


@login_not_required
def _ok(request):
    return HttpResponse("ok")


def handler404(request, exception):
    return HttpResponseNotFound("not found")


def _redirect(to):
    return login_not_required(RedirectView.as_view(url=to, permanent=True))


# The URLs of the test below: one old path moved behind a permanent redirect,
# one behind a redirect to nowhere, and nothing else.
urlpatterns = [
    path("healthz", _ok, name="healthz"),
    path("accounts/login/", _ok, name="login"),
    re_path(r"^old/(?P<year>[0-9]+)/$", _redirect("/healthz")),
    re_path(r"^moved/(?P<year>[0-9]+)/$", _redirect("/nowhere")),
]


@pytest.mark.urls(__name__)
def test_a_pattern_gone_from_the_resolver_fails_unless_its_old_path_redirects(world):
    by_role = clients(world)
    everyone = dict.fromkeys(ROLES, 200)
    recorded = {
        "healthz": {"name": "healthz", "statuses": everyone},
        "old/<int:year>/": {"name": "old", "statuses": everyone},
        "moved/<int:year>/": {"name": "moved", "statuses": everyone},
        "gone/<int:year>/": {"name": "gone", "statuses": everyone},
    }
    current = {"healthz": {"name": "healthz", "statuses": everyone},
               "new/": {"name": "new", "statuses": everyone}}
    problems = differences(recorded, current, world, by_role)
    assert not [p for p in problems if p.startswith(("'healthz'", "'old/"))]
    assert len([p for p in problems if p.startswith("'moved/<int:year>/' (moved) as ")]) == len(ROLES)
    assert f"'gone/<int:year>/' (gone) as anonymous: 404 (pattern gone, /gone/{world['indicator'].fiscal_year.year}/)" \
        ", recorded 200" in problems
    assert "'new/' (new) is not in the snapshot: record it" in problems


def test_example_paths_fill_path_and_regex_arguments():
    assert PATH_ARGUMENT.sub("x", "reports/jobs/<int:pk>/status.json") == "reports/jobs/x/status.json"
    assert REGEX_GROUP.sub("x", "(?P<app_label>auth|axes)/") == "x/"
    assert REGEX_GROUP.sub("x", "([^/]+)/history/([^/]+)/") == "x/history/x/"
