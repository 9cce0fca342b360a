"""axe-core finds no WCAG 2.1 A/AA violation on any staff page, for the role
that uses it, in Thai and in English. Public pages are added to PAGES with
one line each."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.models import Indicator
from projects.models import Milestone, MilestoneProgress, Project, ProjectUpdate

from .a11y import assert_accessible
from .entry_support import set_window
from .factories import MilestoneFactory, ProjectFactory
from .pytest_fixtures import SEED_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

DISTRICT_CODE = "5013-0001"
# A project of the seed's year with an overdue activity and a score (the demo's own may differ).
PROJECT_CODE = "2100-0901"
DISTRICT_PROJECT = "5013-0101"  # added by the demo fixture below, for rajthewi's open quarter
SEED_PROJECT = "2100-2460"  # demo/projects.py: the seed indicator's project, every quarter reported
LOGINS = {
    "reporter": ("rajthewi", "demo-rajthewi-2570"),
    "reporter 2100": ("reporter", "demo-reporter-2563"),  # สยป., the seed project's agency
    "evaluator": ("evaluator", "demo-evaluator-2563"),
    "manager": ("manager", "demo-manager-2563"),
    "admin": ("admin", "demo-admin-2563"),
}

# (who, path): every staff page, as the role that uses it sees it.
PAGES = [
    (None, "/accounts/login/"),
    ("manager", "/"),
    ("manager", SEED_URL),
    ("manager", f"{SEED_URL}history/"),
    ("manager", "/reports/quarterly/"),
    ("manager", "/reports/dashboard/"),
    ("manager", "/reports/progress/"),
    ("manager", "/scorecards/2563/"),
    ("manager", "/scorecards/2563/2100/"),
    ("manager", "/reports/book/"),
    ("manager", "/jobs/"),
    ("manager", "/notifications/"),
    ("manager", "/notifications/preferences/"),
    ("manager", "/accounts/password/change/"),
    ("reporter", "/my-indicators/"),
    ("reporter", f"/indicators/2570/{DISTRICT_CODE}/"),
    ("reporter", f"/indicators/2570/{DISTRICT_CODE}/quarters/1/report/"),
    ("evaluator", "/review/"),
    ("evaluator", f"{SEED_URL.replace('/indicators/', '/review/')}4/"),
    ("reporter", f"/projects/2570/{DISTRICT_PROJECT}/quarters/1/update/"),
    ("reporter", f"/projects/2570/{DISTRICT_PROJECT}/history/"),
    ("reporter 2100", f"/projects/2563/{SEED_PROJECT}/quarters/4/update/"),  # closed: read-only
    ("evaluator", "/review/?kind=projects"),
    ("evaluator", f"/review/projects/2563/{SEED_PROJECT}/4/"),
    ("manager", "/accounts/api-tokens/"),
    ("manager", "/projects/?year=2563"),
    ("manager", f"/projects/2563/{PROJECT_CODE}/"),
    ("admin", f"/projects/2563/{PROJECT_CODE}/edit/"),
    ("admin", "/indicators/import/"),
    ("admin", "/indicators/rollover/"),
    # The public site, signed out.
    (None, "/public/"),
    (None, "/public/data/"),
    (None, "/public/2563/"),
    (None, "/public/2563/indicators/"),
    (None, SEED_URL.replace("/indicators/", "/public/", 1).replace("/2100-1037/", "/indicators/2100-1037/")),
    (None, "/public/2563/projects/"),
    (None, f"/public/2563/projects/{SEED_PROJECT}/"),
]


@pytest.fixture
def demo():
    call_command("load_demo", quiet_logins=True)
    district = Indicator.objects.get(code=DISTRICT_CODE)
    set_window(district, 1)
    project = ProjectFactory(fiscal_year=district.fiscal_year, owner=district.owner, code=DISTRICT_PROJECT,
                             name="โครงการคัดแยกขยะในชุมชนเขตราชเทวี",
                             planned_start=datetime.date(2026, 10, 1), planned_finish=datetime.date(2027, 9, 30))
    MilestoneFactory(project=project, name="อบรมแกนนำชุมชน", weight=Decimal("30"))
    MilestoneFactory(project=project, name="ติดตั้งจุดคัดแยกขยะ", weight=Decimal("70"))
    project_with_an_overdue_activity()


def project_with_an_overdue_activity():
    seed = Indicator.objects.select_related("fiscal_year", "owner").get(fiscal_year__year=2563, code="2100-1037")
    project = Project.objects.create(
        fiscal_year=seed.fiscal_year, owner=seed.owner, code=PROJECT_CODE,
        name="โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต",
        responsible_name="นางสาวทดสอบ ระบบดี", responsible_phone="1520", budget_allocated=Decimal("250000"),
        planned_start=datetime.date(2019, 10, 1), planned_finish=datetime.date(2020, 9, 30),
    )
    project.indicators.add(seed)
    late = Milestone.objects.create(project=project, name="ประชุมกลุ่มเขต", weight=60, order=1,
                                    planned_start=datetime.date(2019, 10, 1), planned_finish=datetime.date(2020, 3, 31))
    done = Milestone.objects.create(project=project, name="จัดทำรายงาน", weight=40, order=2,
                                    planned_start=datetime.date(2020, 4, 1), planned_finish=datetime.date(2020, 9, 30))
    update = ProjectUpdate.objects.create(project=project, quarter=3, progress=Decimal(70), disbursed=Decimal(90000),
                                          narrative="ดำเนินการแล้ว", problems="ฝนตก", score=Decimal(100),
                                          status=ProjectUpdate.Status.ACCEPTED)
    MilestoneProgress.objects.create(update=update, milestone=late, percent=Decimal(50))
    MilestoneProgress.objects.create(update=update, milestone=done, percent=Decimal(100))


def sign_in(page, who):
    username, password = LOGINS[who]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_staff_page_has_no_axe_violations(page, demo, prefix):
    failures = []
    signed_in = None
    for who, path in PAGES:
        if who != signed_in:
            page.context.clear_cookies()
            if who:
                sign_in(page, who)
            signed_in = who
        response = page.goto(prefix + path)
        assert response.status == 200, f"{prefix}{path}: {response.status}"
        try:
            assert_accessible(page, f"{prefix}{path} as {who}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


CHART_ALTERNATIVES = """() => [...document.querySelectorAll('main svg[aria-labelledby]')].map(svg => {
  const parts = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
    .map(id => (document.getElementById(id) || {}).textContent || '');
  const table = svg.closest('figure, div, section').parentElement.querySelector('table');
  return {name: parts[0] || '', desc: parts[1] || '', table: !!table};
})"""


@pytest.mark.parametrize("path", [SEED_URL, "/reports/dashboard/?year=2563&quarter=4"])
def test_every_chart_has_a_text_alternative_and_its_table(page, demo, path):
    sign_in(page, "manager")
    page.goto(path)
    charts = page.evaluate(CHART_ALTERNATIVES)
    assert charts, "no chart on the page"
    for chart in charts:
        assert chart["name"].strip() and chart["desc"].strip() and chart["table"], chart
