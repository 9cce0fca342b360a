import os
import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.models import Indicator

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory, UserFactory

SEED_YEAR = 2563
SEED_CODE = "2100-1037"
SEED_URL = f"/indicators/{SEED_YEAR}/{SEED_CODE}/"
CHROMIUM = "/usr/bin/chromium"

# The seed page's sections, with its labels, in its order (docs/domain.md,
# tests/data/seed/).
PRINT_LINK_LABEL = "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล"
SEED_SECTION_LABELS = [
    "รายละเอียดตัวชี้วัด",
    "ค่าเป้าหมาย เล่ม",
    "ผลงานที่ทำได้ เล่ม",
    "ประเภทตัวชี้วัด",
    "น้ำหนัก",
    PRINT_LINK_LABEL,
    "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4",
    "ผลงานเทียบกับเป้าหมายรายไตรมาส",
    "รายงานผลฯ ไตรมาสที่ 1",
    "รายงานผลฯ ไตรมาสที่ 2",
    "รายงานผลฯ ไตรมาสที่ 3",
    "รายงานผลฯ ไตรมาสที่ 4",
    "** สรุปผลการดำเนินงาน **",
    "นิยาม หรือความหมายของตัวชี้วัด",
    "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
    "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
    "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
    "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
]


@pytest.fixture(autouse=True)
def print_files(settings, tmp_path):
    """Each test its own sheet cache and job files: database ids (and so
    cache keys) repeat from one test to the next."""
    settings.PRINT_CACHE_DIR = str(tmp_path / "print-cache")
    settings.PRINT_JOBS_DIR = str(tmp_path / "print-jobs")


@pytest.fixture
def seed(db):
    """The demo data: the seed indicator 2100-1037 of FY 2563 and its world."""
    call_command("load_demo", quiet_logins=True)
    return Indicator.objects.get(fiscal_year__year=SEED_YEAR, code=SEED_CODE)


@pytest.fixture
def make_user(db):
    def make(role=None, agencies=()):
        return UserFactory(role=role, agencies=list(agencies))

    return make


@pytest.fixture
def evaluator(make_user):
    return make_user("evaluator")


@pytest.fixture
def evaluator_client(client, evaluator):
    client.force_login(evaluator)
    return client


@pytest.fixture
def reporter_client(client, make_user, indicator):
    """Signed in as a reporter of the test module's `indicator` fixture."""
    client.force_login(make_user("reporter", [indicator.owner]))
    return client


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user("manager"))
    return client


# --- real-browser tests -------------------------------------------------

def _browser_missing_reason():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    if reason is None:
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but browser tests cannot run: {reason}")
    marker = pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {reason}")
    for item in browser_items:
        item.add_marker(marker)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "BROWSER TESTS SKIPPED" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} BROWSER TESTS WERE SKIPPED (no Chromium)", red=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


def watch_csp(page):
    """Collects the page's Content-Security-Policy violations (Chromium reports
    each on the console) into a list."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = watch_csp(page)
    yield page
    context.close()
    # Every browser test also checks that nothing on its pages broke the CSP.
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def login(page):
    def do_login(username, password):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return do_login


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids are reused between tests
    (rolled back), so a cached page of one test's indicator must not be
    another test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def thai_after_each_test():
    """Each test starts in Thai: a request to an /en/ page leaves English
    active in the thread, and reverse() (get_absolute_url) would then give
    the next test /en/ URLs."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def export_data(db):
    """Two agencies' indicators of 2569, one with results, one named like a
    spreadsheet formula: what the export tests download."""
    year = FiscalYearFactory(year=2569)
    dept = AgencyFactory(code="2200", name="สำนักการแพทย์")
    other = AgencyFactory(code="2300", name="สำนักอนามัย")
    ind = IndicatorFactory(fiscal_year=year, code="2200-0001", owner=dept, name="ร้อยละของผู้ป่วยที่ได้รับการคัดกรอง",
                           unit="ร้อยละ", annual_target=Decimal("1234.5"), decimal_places=2)
    QuarterResultFactory(indicator=ind, quarter=1, value=Decimal("20"), score_self=Decimal("100"),
                         score_confirmed=Decimal("100"))
    QuarterResultFactory(indicator=ind, quarter=4, value=Decimal("1300.25"), score_self=Decimal("100"),
                         score_confirmed=Decimal("95.5"))
    IndicatorFactory(fiscal_year=year, code="2300-0001", owner=other, name="=HYPERLINK(\"http://x\")จำนวนคลินิก")
    return locals()
