"""The public site's projects (public/projects.py): only accepted updates
appear (an update in any other status leaves no trace: not its progress,
narrative, problems or delay reason), never the responsible person, staff,
evaluator comments or evidence; only published years; fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ProjectEvidence, ProjectUpdate

from .factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    UserFactory,
)

D = Decimal
S = ProjectUpdate.Status
pytestmark = pytest.mark.django_db
NOT_ACCEPTED = [S.NOT_STARTED, S.DRAFT, S.SUBMITTED, S.RETURNED]
SECRETS = ["นางสาวผู้รับผิดชอบลับ", "02 999 8888", "staff-secret-user", "ความเห็นลับของผู้ตรวจ", "เหตุผลคะแนนลับ",
           "หลักฐานลับ.pdf", "project-evidence/", "โครงการของปีที่ยังไม่เผยแพร่"]


def unaccepted_texts(n):
    return [f"ผลงานลับที่ยังไม่ตรวจรับ{n}", f"ปัญหาลับที่ยังไม่ตรวจรับ{n}", f"เหตุผลล่าช้าลับ{n}"]


@pytest.fixture
def world():
    year = FiscalYearFactory(year=2569, published=True)
    hidden = FiscalYearFactory(year=2570, published=False)
    agency = AgencyFactory(code="7300", name="สำนักโครงการสาธารณะ")
    staff = UserFactory(username="staff-secret-user", first_name="ชื่อเจ้าหน้าที่ลับ", role="reporter", agencies=[agency])
    indicator = IndicatorFactory(fiscal_year=year, owner=agency, code="7300-0001")
    projects = []
    for n, status in enumerate(NOT_ACCEPTED):
        project = ProjectFactory(
            fiscal_year=year, owner=agency, code=f"7300-{n + 1}", name=f"โครงการสาธารณะ {n}",
            responsible_name="นางสาวผู้รับผิดชอบลับ", responsible_phone="02 999 8888", responsible_user=staff,
            planned_start=datetime.date(2025, 10, 1), planned_finish=datetime.date(2026, 9, 30))
        project.indicators.add(indicator)
        MilestoneFactory(project=project, weight=D("100"), name="กิจกรรมสาธารณะ")
        ProjectUpdateFactory(project=project, quarter=1, status=S.ACCEPTED, progress=D("25"), disbursed=D("1000"),
                             narrative="ผลงานไตรมาสแรกที่ตรวจรับแล้ว", problems="ปัญหาที่ตรวจรับแล้ว",
                             score=D("90"), score_reason="เหตุผลคะแนนลับ", reviewed_by=staff, submitted_by=staff)
        narrative, problems, delay = unaccepted_texts(n)
        ProjectUpdateFactory(project=project, quarter=2, status=status, progress=D("87.65"), disbursed=D("98765"),
                             narrative=narrative, problems=problems, delay_reason=delay,
                             reviewer_comment="ความเห็นลับของผู้ตรวจ", submitted_by=staff)
        ProjectEvidence.objects.create(project=project, quarter=1, file=ContentFile(b"x", name="e.pdf"),
                                       original_name="หลักฐานลับ.pdf", content_type="application/pdf", size=1)
        projects.append(project)
    ProjectFactory(fiscal_year=hidden, owner=agency, code="7300-9", name="โครงการของปีที่ยังไม่เผยแพร่")
    return {"year": year, "projects": projects}


def pages(client, world):
    urls = ["/public/2569/projects/", "/public/2569/projects/?agency=7300", "/public/2569/projects/?q=สาธารณะ"]
    urls += [f"/public/2569/projects/{p.code}/" for p in world["projects"]]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response.content.decode()
    return found


def test_unaccepted_updates_never_appear(client, world):
    for url, html in pages(client, world).items():
        for n in range(len(NOT_ACCEPTED)):
            for secret in unaccepted_texts(n):
                assert secret not in html, (url, secret)
        assert "87.65" not in html and "98,765" not in html, url


def test_accepted_updates_and_facts_appear(client, world):
    html = client.get("/public/2569/projects/7300-1/").content.decode()
    assert "ผลงานไตรมาสแรกที่ตรวจรับแล้ว" in html and "ปัญหาที่ตรวจรับแล้ว" in html
    assert "25.00" in html and "1,000.00" in html
    assert "กิจกรรมสาธารณะ" in html and "7300-0001" in html
    assert "สยป. ประเมินโครงการ : ไตรมาสที่ 1" in html
    listing = client.get("/public/2569/projects/").content.decode()
    assert all(f"7300-{n + 1}" in listing for n in range(len(NOT_ACCEPTED)))


def test_no_staff_comments_or_evidence(client, world):
    for url, html in pages(client, world).items():
        for secret in SECRETS:
            assert secret not in html, (url, secret)
        assert "ชื่อเจ้าหน้าที่ลับ" not in html
        assert "/evidence/" not in html, url


def test_unpublished_year_is_missing(client, world):
    assert client.get("/public/2570/projects/").status_code == 404
    assert client.get("/public/2570/projects/7300-9/").status_code == 404
    assert client.get("/public/2569/projects/7300-9/").status_code == 404


def test_search_and_agency_filter(client, world):
    AgencyFactory(code="7400")
    assert "พบ 0 โครงการ" in client.get("/public/2569/projects/?agency=7400").content.decode()
    html = client.get("/public/2569/projects/?q=7300-3").content.decode()
    assert "7300-3" in html and "7300-2" not in html


def test_fixed_queries(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/public/2569/projects/", "/public/2569/projects/7300-1/"]
    small = [count(url) for url in urls]
    project = world["projects"][0]
    for n in range(10):
        more = ProjectFactory(fiscal_year=world["year"], owner=project.owner, code=f"7300-1{n:02d}")
        MilestoneFactory(project=more, weight=D("100"))
        ProjectUpdateFactory(project=more, quarter=1, status=S.ACCEPTED, progress=D("10"))
    for _n in range(3):
        MilestoneFactory(project=project, weight=D("0"))
    ProjectUpdateFactory(project=project, quarter=3, status=S.ACCEPTED, progress=D("30"))
    assert [count(url) for url in urls] == small
