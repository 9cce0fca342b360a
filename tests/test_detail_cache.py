"""The detail page's body is cached per sheet version (reports/sheet_cache.py):
a repeated view runs fewer queries and renders nothing, and every change to
what the page shows is visible on the very next request."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from evaluation import services
from indicators.models import Agency, DistrictGroup, QuarterResult, StrategyNode
from reports.models import Evidence, Narrative
from tests.factories import StrategyNodeFactory
from tests.helpers import page_text
from tests.pytest_fixtures import SEED_URL

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_repeated_view_is_served_from_the_cache(seed, manager_client):
    first, html = queries_for(manager_client, SEED_URL)
    again, cached_html = queries_for(manager_client, SEED_URL)
    main = lambda page: page[page.index("<main"):page.index("</main>")]  # noqa: E731 (outside: a fresh CSRF token)
    assert main(cached_html) == main(html)
    # Session, user, the indicator and the viewer's roles; none of the
    # sheet's rows (results, narratives, evidence, strategy plan).
    assert again == 4
    assert first - again >= 4


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_reporter_and_manager_views_are_cached_apart(seed, make_user):
    manager = signed_in(make_user("manager"))
    reporter = signed_in(make_user("reporter", agencies=[seed.owner]))
    assert "report-link" not in manager.get(SEED_URL).content.decode()
    assert "report-link" in reporter.get(SEED_URL).content.decode()
    assert "report-link" not in manager.get(SEED_URL).content.decode()


def test_evaluator_links_are_not_served_to_others(seed, make_user):
    evaluator, manager = signed_in(make_user("evaluator")), signed_in(make_user("manager"))
    assert 'id="review-links"' in evaluator.get(SEED_URL).content.decode()
    assert 'id="review-links"' not in manager.get(SEED_URL).content.decode()


def shown(client):
    return page_text(client.get(SEED_URL))


def test_a_changed_result_shows_at_once(seed, manager_client):
    shown(manager_client)  # now cached
    result = QuarterResult.objects.get(indicator=seed, quarter=1)
    result.value = Decimal("23")
    result.save()
    assert "1 6 23 " in shown(manager_client)  # quarter 1: target 6, result 23


def test_an_evaluators_score_shows_at_once(seed, manager_client, evaluator):
    shown(manager_client)
    q4 = QuarterResult.objects.select_related("indicator").get(indicator=seed, quarter=4)
    services.score_final_quarter(result=q4, user=evaluator, expected_version=q4.version, score="90",
                                   reason="กลุ่มกรุงเทพตะวันออกยังรายงานเพียงกำหนดการ")
    assert "ไตรมาสที่ 4: 90" in shown(manager_client)


def test_a_changed_narrative_shows_at_once(seed, manager_client):
    shown(manager_client)
    narrative = Narrative.objects.filter(indicator=seed, quarter=1, district_group=None).first()
    narrative.text = "ข้อความใหม่ของไตรมาสที่หนึ่ง"
    narrative.save()
    assert "ข้อความใหม่ของไตรมาสที่หนึ่ง" in shown(manager_client)


def test_new_and_removed_evidence_show_at_once(seed, manager_client):
    from django.utils import timezone

    shown(manager_client)
    item = Evidence.objects.create(indicator=seed, quarter=2, file="evidence/x", original_name="ภาพกิจกรรม.png",
                                   content_type="image/png", size=100)
    assert "ภาพกิจกรรม.png" in shown(manager_client)
    item.removed_at = timezone.now()
    item.save()
    assert "ภาพกิจกรรม.png" not in shown(manager_client)


def test_the_indicators_own_fields_show_at_once(seed, manager_client):
    shown(manager_client)
    seed.definition = "นิยามที่แก้ไขแล้ว"
    seed.save()
    assert "นิยามที่แก้ไขแล้ว" in shown(manager_client)


def test_a_renamed_agency_shows_at_once(seed, manager_client):
    shown(manager_client)
    owner = Agency.objects.get(pk=seed.owner_id)
    owner.name = "สำนักยุทธศาสตร์และประเมินผล (ชื่อใหม่)"
    owner.save()
    assert "(ชื่อใหม่)" in shown(manager_client)


def test_strategy_plan_changes_show_at_once(seed, manager_client):
    shown(manager_client)
    dimension = StrategyNode.objects.get(code="5")
    dimension.title = "มหานครประชาธิปไตย (ปรับปรุง)"
    dimension.save()
    assert "(ปรับปรุง)" in shown(manager_client)
    seed.strategy_nodes.add(StrategyNodeFactory(level=1, code="9", title="ด้านที่เพิ่มใหม่"))
    assert "ด้านที่เพิ่มใหม่" in shown(manager_client)


def test_a_renamed_district_group_shows_at_once(seed, manager_client):
    group = DistrictGroup.objects.first()
    Narrative.objects.create(indicator=seed, quarter=4, district_group=group, text="ส่วนรายงานของกลุ่ม")
    shown(manager_client)
    group = DistrictGroup.objects.get(pk=group.pk)
    group.name = "กลุ่มชื่อใหม่ทดสอบ"
    group.save()
    assert "กลุ่มชื่อใหม่ทดสอบ" in shown(manager_client)


def test_a_save_of_some_fields_only_still_shows_at_once(seed, manager_client):
    shown(manager_client)
    seed.name = "ชื่อตัวชี้วัดที่แก้ไขเฉพาะช่อง"
    seed.save(update_fields=["name"])
    assert "ชื่อตัวชี้วัดที่แก้ไขเฉพาะช่อง" in shown(manager_client)


def test_a_body_cached_by_another_release_is_not_served(seed, make_user, monkeypatch):
    """A release that draws the same data otherwise (a template, a number
    format) must not answer from what the previous release cached."""
    from reports import sheet_cache
    from web import release

    manager = make_user("manager")
    client = signed_in(manager)
    monkeypatch.setattr(release, "fingerprint", lambda: "old-release")
    sheet_cache.put(sheet_cache.cache_key(seed, manager), "<main>drawn by the old release</main>")
    assert "drawn by the old release" in client.get(SEED_URL).content.decode()
    monkeypatch.setattr(release, "fingerprint", lambda: "new-release")
    assert "drawn by the old release" not in client.get(SEED_URL).content.decode()


def test_the_release_fingerprint_follows_the_templates(settings, tmp_path):
    from web import release

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("{{ value|score }}", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    release.fingerprint.cache_clear()
    try:
        before = release.fingerprint()
        assert release.fingerprint() == before
        page.write_text("{{ value|percent }}", encoding="utf-8")
        release.fingerprint.cache_clear()
        assert release.fingerprint() != before
    finally:
        release.fingerprint.cache_clear()
