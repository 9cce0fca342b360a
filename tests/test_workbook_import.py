"""The workbook import: round trip, dry run, all or nothing with the
place of each error, idempotence, history, numbers as people type them,
files refused, scored quarters, staff."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from demo import synthetic
from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, Quarter, QuarterResult, StrategyNode
from projects.models import Project
from reports.models import Narrative
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from tests.workbook_support import append_rows, edit, export_year, snapshot
from yearsetup.workbook import columns as spec
from yearsetup.workbook import service
from yearsetup.workbook.files import WorkbookRefused

pytestmark = pytest.mark.django_db


def run(content, apply=False, user=None, **options):
    return service.run(content, file_name="plan.xlsx", user=user or AnonymousUser(), apply=apply, **options)


def counts(summary, sheet):
    return next(c for c in summary["counts"] if c["sheet"] == str(sheet.title))


def _empty_database():
    Project.objects.all().delete()  # the seed indicator's project (demo/projects.py)
    Indicator.objects.all().delete()
    FiscalYear.objects.all().delete()
    Agency.objects.all().delete()
    for level in (4, 3, 2, 1):
        StrategyNode.objects.filter(level=level).delete()
    DistrictGroup.objects.all().delete()


@pytest.fixture
def year_with_data(seed):
    """The seed's year with generated indicators of every kind beside it."""
    synthetic.generate(indicators=40, years=1, last_year=SEED_YEAR, seed=7, narratives=False, log=lambda *a: None)
    return SEED_YEAR


def test_round_trip_into_a_fresh_database_keeps_every_field(year_with_data):
    before = snapshot(year_with_data)
    assert len(before["indicators"]) > 40 and any(row["milestones"] for row in before["indicators"].values())
    content = export_year(year_with_data)
    _empty_database()

    summary = run(content, apply=True)

    assert summary["applied"], summary["problems"]
    assert snapshot(year_with_data) == before
    # And the seed's page works from imported rows.
    seed = Indicator.objects.get(fiscal_year__year=SEED_YEAR, code=SEED_CODE)
    assert seed.strategy_nodes.get().chain()[0].level == StrategyNode.Level.DIMENSION


def test_exporting_again_gives_the_same_cells(year_with_data):
    first = export_year(year_with_data)
    run(first, apply=True)
    second = export_year(year_with_data)
    cells = [[[c.value for c in row] for row in ws.iter_rows()]
             for ws in load_workbook(io.BytesIO(first)).worksheets]
    assert cells == [[[c.value for c in row] for row in ws.iter_rows()]
                     for ws in load_workbook(io.BytesIO(second)).worksheets]


def test_text_that_looks_like_a_formula_stays_text(seed):
    Indicator.objects.filter(pk=seed.pk).update(definition="=ผลรวม/จำนวน (ไม่ใช่สูตร)")
    summary = run(export_year(SEED_YEAR), apply=True)
    assert summary["applied"] and counts(summary, spec.INDICATORS)["unchanged"] == 1
    seed.refresh_from_db()
    assert seed.definition == "=ผลรวม/จำนวน (ไม่ใช่สูตร)"


def test_reimport_of_the_same_file_changes_nothing(year_with_data):
    content = export_year(year_with_data)
    versions = dict(Indicator.objects.values_list("code", "sheet_version"))
    histories = Indicator.history.count(), QuarterResult.history.count()

    summary = run(content, apply=True)

    for sheet in spec.EXPORTED:
        assert counts(summary, sheet)["created"] == counts(summary, sheet)["updated"] == 0
    assert dict(Indicator.objects.values_list("code", "sheet_version")) == versions
    assert (Indicator.history.count(), QuarterResult.history.count()) == histories


def test_dry_run_writes_nothing(year_with_data):
    content = export_year(year_with_data)
    _empty_database()

    summary = run(content)

    assert counts(summary, spec.INDICATORS)["created"] == 41
    assert counts(summary, spec.AGENCIES)["created"] == len(snapshot_agencies(content)) > 0
    assert not Indicator.objects.exists() and not Agency.objects.exists() and not FiscalYear.objects.exists()


def snapshot_agencies(content):
    ws = load_workbook(io.BytesIO(content))[str(spec.AGENCIES.title)]
    return [row for row in ws.iter_rows(min_row=2) if row[0].value]


def test_command_dry_run_writes_nothing_and_apply_writes(seed, tmp_path, make_user):
    admin = make_user("administrator")
    path = tmp_path / "year.xlsx"
    path.write_bytes(edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "annual_target"): 7}))

    call_command("import_indicators", str(path), "--dry-run")
    seed.refresh_from_db()
    assert seed.annual_target == 6
    with pytest.raises(CommandError, match="ไม่พบผู้ใช้ nobody"):
        call_command("import_indicators", str(path), "--user", "nobody")

    call_command("import_indicators", str(path), "--user", admin.username)
    seed.refresh_from_db()
    assert seed.annual_target == 7
    assert (seed.history.latest().history_user, seed.history.latest().history_change_reason) == (
        admin, "นำเข้าจากไฟล์ year.xlsx")


def test_one_bad_row_anywhere_writes_nothing_and_names_sheet_row_and_column(seed):
    content = export_year(SEED_YEAR)
    content = edit(content, spec.INDICATORS, {(SEED_CODE, "annual_target"): 9})
    content = append_rows(content, spec.INDICATORS, [{
        "code": "9999-0001", "name": "ตัวชี้วัดใหม่", "owner": "NOPE", "unit": "ครั้ง", "annual_target": 5,
        "category": "ทดสอบ", "aggregation": "ผลรวมรายไตรมาส", "direction": "ยิ่งมากยิ่งดี"}])

    summary = run(content, apply=True)

    assert not summary["applied"]
    assert summary["problems"] == [{
        "sheet": "ตัวชี้วัด", "row": 3, "column": "D (รหัสหน่วยงานเจ้าของ)",
        "message": "ไม่พบหน่วยงานรหัส “NOPE”"}]
    seed.refresh_from_db()
    assert seed.annual_target == 6
    assert not Indicator.objects.filter(code="9999-0001").exists()


def test_the_command_exits_non_zero_and_prints_the_problem(seed, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "annual_target"): "หก"}))
    with pytest.raises(CommandError, match="ข้อผิดพลาด 1 รายการ"):
        call_command("import_indicators", str(path))
    assert "“หก” ไม่ใช่ตัวเลข" in capsys.readouterr().out


@pytest.mark.parametrize("edits, message", [
    ({(SEED_CODE, "target_q2"): "สิบ"}, "“สิบ” ไม่ใช่ตัวเลข"),
    ({(SEED_CODE, "unit"): "ก" * 101}, "ยาวเกิน 100 ตัวอักษร (มี 101 ตัวอักษร)"),
    ({(SEED_CODE, "name"): None}, "ต้องกรอก"),
    ({(SEED_CODE, "strategy_nodes"): "9.9.9.9"}, "ไม่พบแผนยุทธศาสตร์รหัส “9.9.9.9”"),
    ({(SEED_CODE, "aggregation"): "มากสุด"}, "“มากสุด” ไม่ใช่ค่าที่เลือกได้"),
    ({(SEED_CODE, "annual_target"): "=2*3"}, "เป็นสูตร ระบบไม่คำนวณสูตร"),
    ({(SEED_CODE, "decimal_places"): 7}, "ต้องไม่เกิน 4"),
    ({(SEED_CODE, "weight"): "123,456"}, "ตัวเลขมีได้ไม่เกิน 5 หลักก่อนจุดทศนิยม"),
    ({(SEED_CODE, "code"): "2100/1037"}, "ห้ามมีเครื่องหมาย /"),
])
def test_each_kind_of_bad_cell_is_named(seed, edits, message):
    summary = run(edit(export_year(SEED_YEAR), spec.INDICATORS, edits), apply=True)
    assert not summary["applied"]
    assert any(message in problem["message"] and problem["row"] == 2 for problem in summary["problems"]), \
        summary["problems"]


def test_a_duplicate_code_is_refused(seed):
    content = append_rows(export_year(SEED_YEAR), spec.INDICATORS, [{"code": SEED_CODE}])
    problems = run(content)["problems"]
    assert any(p["message"] == f"รหัส “{SEED_CODE}” ซ้ำกับแถวที่ 2" and p["row"] == 3 for p in problems)


def test_a_milestone_for_a_quarter_the_year_does_not_have(seed):
    Quarter.objects.filter(fiscal_year__year=SEED_YEAR, number=3).delete()
    problems = run(edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "target_q3"): 4}))["problems"]
    assert [p["message"] for p in problems] == ["ปีงบประมาณ 2563 ไม่มีไตรมาส 3"]


def test_merged_cells_are_refused(seed):
    wb = load_workbook(io.BytesIO(export_year(SEED_YEAR)))
    wb[str(spec.INDICATORS.title)].merge_cells("B2:C2")
    out = io.BytesIO()
    wb.save(out)
    problems = run(out.getvalue())["problems"]
    assert problems[0]["column"] == "B2:C2" and "ผสานเซลล์" in problems[0]["message"]


def test_thai_digits_and_thousands_separators_are_numbers(seed):
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {
        (SEED_CODE, "annual_target"): "๑,๒๓๔.๕", (SEED_CODE, "target_q1"): "1,000"})
    summary = run(content, apply=True)
    assert summary["applied"], summary["problems"]
    seed.refresh_from_db()
    assert seed.annual_target == Decimal("1234.5")
    assert seed.quarter_results.get(quarter=1).target == Decimal("1000")


def test_an_edited_target_is_an_update_with_its_history(seed, make_user):
    admin = make_user("administrator")
    version = seed.sheet_version
    results_before = list(seed.quarter_results.order_by("quarter").values_list("quarter", "value", "status"))
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {
        (SEED_CODE, "annual_target"): 8, (SEED_CODE, "target_q2"): 3})

    summary = service.run(content, file_name="แผน 2563.xlsx", user=admin, apply=True)

    assert counts(summary, spec.INDICATORS)["updated"] == 1
    assert summary["updated"] == [{"sheet": "ตัวชี้วัด", "key": SEED_CODE,
                                   "fields": ["ค่าเป้าหมาย", "เป้าหมายไตรมาส 2"]}]
    seed.refresh_from_db()
    assert seed.annual_target == 8 and seed.sheet_version > version
    record = seed.history.latest()
    assert (record.history_change_reason, record.history_user, record.annual_target) == (
        "นำเข้าจากไฟล์ แผน 2563.xlsx", admin, 8)
    milestone = QuarterResult.history.filter(indicator_id=seed.pk, quarter=2).latest()
    assert (milestone.history_change_reason, milestone.history_user, milestone.target) == (
        "นำเข้าจากไฟล์ แผน 2563.xlsx", admin, 3)
    # Reported results are kept.
    assert list(seed.quarter_results.order_by("quarter").values_list("quarter", "value", "status")) == results_before


def test_rows_not_in_the_file_are_listed_and_left_alone(seed):
    other = Indicator.objects.create(fiscal_year=seed.fiscal_year, code="2100-9999", name="อื่น", owner=seed.owner,
                                     unit="ครั้ง", annual_target=1, category="ทดสอบ")
    wb = load_workbook(io.BytesIO(export_year(SEED_YEAR)))
    ws = wb[str(spec.INDICATORS.title)]
    ws.delete_rows(3)  # 2100-9999 sorts after the seed
    out = io.BytesIO()
    wb.save(out)

    summary = run(out.getvalue(), apply=True)

    assert summary["applied"] and summary["not_in_file"] == ["2100-9999"]
    assert counts(summary, spec.INDICATORS)["not_in_file"] == 1
    assert Indicator.objects.filter(pk=other.pk).exists()


def test_changing_the_target_of_a_scored_year_needs_the_option(seed):
    final = seed.quarter_results.get(quarter=4)
    final.score_confirmed = Decimal("90")
    final.save()
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "annual_target"): 8})

    refused = run(content, apply=True)
    assert not refused["applied"] and refused["scored_target_changes"] == [SEED_CODE]
    assert "ไตรมาสที่ 4 ของตัวชี้วัดนี้ประเมินแล้ว" in refused["problems"][0]["message"]
    seed.refresh_from_db()
    assert seed.annual_target == 6

    allowed = run(content, apply=True, allow_scored_target_change=True)
    assert allowed["applied"] and allowed["scored_target_changes"] == [SEED_CODE]
    seed.refresh_from_db()
    assert seed.annual_target == 8


def test_the_template_reads_as_an_empty_workbook(seed):
    from yearsetup.workbook.export import template_workbook

    summary = run(template_workbook(), year=2570)
    assert summary["ok"] and all(c["created"] == c["updated"] == 0 for c in summary["counts"])
    ws = load_workbook(io.BytesIO(template_workbook()))[str(spec.INDICATORS.title)]
    lists = {str(v.sqref).split(":")[0][0] for v in ws.data_validations.dataValidation}
    assert len(lists) == 4  # aggregation, direction and the two yes/no columns


# --- files that are refused -------------------------------------------------

def test_a_file_that_is_not_an_xlsx_is_refused():
    with pytest.raises(WorkbookRefused, match="ไม่ใช่ไฟล์ Excel"):
        run(b"%PDF-1.7 renamed to .xlsx")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "a zip, not a workbook")
    with pytest.raises(WorkbookRefused, match="ไม่ใช่ไฟล์ Excel"):
        run(archive.getvalue())


def test_a_huge_file_is_refused(settings, seed):
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(WorkbookRefused, match="ไฟล์ใหญ่เกิน"):
        run(export_year(SEED_YEAR))


def test_a_zip_bomb_is_refused_before_it_is_opened():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(archive.getvalue()) < 1024 * 1024
    with pytest.raises(WorkbookRefused, match="ใหญ่ผิดปกติ"):
        run(archive.getvalue())


# --- bulk writes ----------------------------------------------------------------

def _new_indicators(content, owner, n, start=0):
    return append_rows(content, spec.INDICATORS, [{
        "code": f"8000-{i:04d}", "name": f"ตัวชี้วัด {i}", "owner": owner, "unit": "ครั้ง", "annual_target": 10,
        "target_q1": 2, "target_q2": 5, "category": "ทดสอบ", "strategy_nodes": "5.2.1.1",
        "aggregation": "ผลรวมรายไตรมาส", "direction": "ยิ่งมากยิ่งดี"} for i in range(start, start + n)])


def test_the_import_writes_in_a_fixed_number_of_queries(seed):
    """Bulk writes: 3 new indicators or 15 take the same queries (SQLite
    cuts a batch further at its 999 parameters, so both stay under that)."""
    owner = seed.owner.code
    base = export_year(SEED_YEAR)
    queries = []
    for n in (3, 15):
        Indicator.objects.filter(code__startswith="8000-").delete()
        with CaptureQueriesContext(connection) as captured:
            assert run(_new_indicators(base, owner, n), apply=True)["applied"]
        queries.append(len(captured))
    assert Indicator.objects.filter(code__startswith="8000-").count() == 15
    assert queries[0] == queries[1]


# --- staff --------------------------------------------------------------------

def test_staff_import_creates_users_with_a_password_link_and_never_changes_a_password(seed, make_user):
    existing = make_user("reporter", [seed.owner])
    existing.email = "old@example.go.th"
    existing.save()
    password = existing.password
    content = append_rows(export_year(SEED_YEAR), spec.STAFF, [
        {"username": "somchai.j", "first_name": "สมชาย", "last_name": "ใจดี", "email": "somchai@example.go.th",
         "role": "เจ้าหน้าที่หน่วยงาน", "agencies": f"{seed.owner.code}"},
        {"username": "noemail", "role": "ผู้บริหาร"},
        {"username": existing.username, "first_name": "เปลี่ยนชื่อ", "email": "old@example.go.th",
         "role": "ผู้ตรวจประเมิน", "agencies": ""},
    ])

    summary = service.run(content, file_name="staff.xlsx", user=AnonymousUser(), apply=True,
                          base_url="https://kpi.example.go.th")

    assert summary["applied"], summary["problems"]
    assert counts(summary, spec.STAFF) | {"sheet": ""} == {
        "sheet": "", "created": 2, "updated": 1, "unchanged": 0, "not_in_file": 0}
    user = get_user_model().objects.get(username="somchai.j")
    assert not user.has_usable_password()
    assert list(user.agencies.values_list("code", flat=True)) == [seed.owner.code]
    assert list(user.groups.values_list("name", flat=True)) == ["reporter"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["somchai@example.go.th"]
    assert "https://kpi.example.go.th/accounts/password/reset/" in mail.outbox[0].body
    assert [username for username, _link in summary["links"]] == ["noemail"]
    existing.refresh_from_db()
    assert existing.password == password and existing.first_name == "เปลี่ยนชื่อ"
    assert list(existing.groups.values_list("name", flat=True)) == ["evaluator"]
    assert not existing.agencies.exists()

    again = service.run(content, file_name="staff.xlsx", user=AnonymousUser(), apply=True)
    assert counts(again, spec.STAFF)["unchanged"] == 3 and len(mail.outbox) == 1


def test_the_password_link_sets_a_password(client, seed):
    content = append_rows(export_year(SEED_YEAR), spec.STAFF, [{"username": "newbie", "role": "ผู้บริหาร"}])
    summary = service.run(content, file_name="s.xlsx", user=AnonymousUser(), apply=True, base_url="http://testserver")
    link = summary["links"][0][1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(form.redirect_chain[-1][0], {"new_password1": "Kpi-2570-secret!", "new_password2": "Kpi-2570-secret!"})
    assert get_user_model().objects.get(username="newbie").check_password("Kpi-2570-secret!")


def test_staff_with_an_unknown_agency_writes_nothing(seed):
    content = append_rows(export_year(SEED_YEAR), spec.STAFF, [
        {"username": "ok.user", "role": "ผู้บริหาร"},
        {"username": "bad.user", "role": "เจ้าหน้าที่หน่วยงาน", "agencies": "0000"}])
    summary = run(content, apply=True)
    assert summary["problems"] == [{"sheet": "เจ้าหน้าที่", "row": 4, "column": "F (รหัสหน่วยงาน)",
                                    "message": "ไม่พบหน่วยงานรหัส “0000”"}]
    assert not get_user_model().objects.filter(username="ok.user").exists()


def test_narratives_and_results_survive_an_import(seed):
    narratives = Narrative.objects.filter(indicator=seed).count()
    assert narratives
    run(edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "name"): "ชื่อใหม่"}), apply=True)
    assert Narrative.objects.filter(indicator=seed).count() == narratives
    assert seed.quarter_results.filter(value__isnull=False).count() == 4


def test_an_imported_target_shows_on_the_history_page(seed, client, make_user):
    admin = make_user("administrator")
    admin.first_name = "สมปอง"
    admin.save()
    service.run(edit(export_year(SEED_YEAR), spec.INDICATORS, {(SEED_CODE, "annual_target"): 8}),
                file_name="แผน.xlsx", user=admin, apply=True)
    client.force_login(admin)
    html = client.get(f"/indicators/{SEED_YEAR}/{SEED_CODE}/history/").content.decode()
    row = html[html.index("นำเข้าจากไฟล์ แผน.xlsx") - 600:html.index("นำเข้าจากไฟล์ แผน.xlsx") + 400]
    assert "สมปอง" in row and "รายละเอียดตัวชี้วัด" in row
    assert '<span class="old">6</span> → <span class="new">8</span>' in row


def _staff_only_workbook(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = str(spec.STAFF.title)
    ws.append([str(c.header) for c in spec.STAFF.columns])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_staff_reads_a_staff_sheet_alone_and_prints_links(seed, tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(_staff_only_workbook([["new.manager", "มานี", "มีนา", None, "ผู้บริหาร", None]]))
    call_command("import_staff", str(path), "--dry-run")
    assert not get_user_model().objects.filter(username="new.manager").exists()
    call_command("import_staff", str(path), "--base-url", "https://kpi.example.go.th")
    out = capsys.readouterr().out
    assert "new.manager: https://kpi.example.go.th/accounts/password/reset/" in out
    assert get_user_model().objects.get(username="new.manager").groups.get().name == "manager"


def test_a_workbook_without_any_known_sheet_is_a_problem():
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    problems = run(out.getvalue())["problems"]
    assert len(problems) == 1 and problems[0]["message"].startswith("ไม่พบแผ่นงานที่นำเข้าได้ในไฟล์")


def test_uploads_expire(settings, tmp_path):
    import os
    import time

    from yearsetup.workbook import files
    from yearsetup.workbook.export import template_workbook

    settings.MEDIA_ROOT = str(tmp_path)
    token = files.store(template_workbook(), owner_id=1, name="a.xlsx")
    assert files.load(token, owner_id=1)[1] == "a.xlsx"
    with pytest.raises(WorkbookRefused):
        files.load(token, owner_id=2)
    old = time.time() - (settings.IMPORT_KEEP_HOURS + 1) * 3600
    for path in (tmp_path / "imports").iterdir():
        os.utime(path, (old, old))
    with pytest.raises(WorkbookRefused, match="หมดอายุ"):
        files.load(token, owner_id=1)
    assert files.delete_expired() == 1 and not any((tmp_path / "imports").iterdir())


def test_staff_cells_are_checked_in_thai(db):
    content = _staff_only_workbook([
        ["มี ช่องว่าง", None, None, "somchai@example.go.th", "ผู้บริหาร", None],
        ["ok.user", None, None, "not-an-email", "ผู้บริหาร", None]])
    assert [(p["row"], p["message"]) for p in run(content)["problems"]] == [
        (2, "ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และเครื่องหมาย @ . + - _"), (3, "อีเมลไม่ถูกต้อง")]


def test_a_district_group_code_must_be_a_slug(db):
    from yearsetup.workbook.export import template_workbook

    content = append_rows(template_workbook(), spec.GROUPS, [{"code": "กลุ่ม 1", "name": "กลุ่มหนึ่ง"}])
    assert [p["message"] for p in run(content)["problems"]] == ["ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข - และ _"]


def test_scoring_criteria_are_imported_and_exported(seed):
    """The five-level criteria (issue 12) are five columns of the indicator
    sheet: imported, exported back, and checked by the admin's own rule."""
    levels = {(SEED_CODE, f"criteria_level_{n}"): value for n, value in enumerate((2, 3, 4, 5, 6), start=1)}
    summary = run(edit(export_year(SEED_YEAR), spec.INDICATORS, levels), apply=True)
    assert summary["applied"], summary["problems"]
    seed.refresh_from_db()
    assert [seed.criteria_level_1, seed.criteria_level_5] == [Decimal(2), Decimal(6)]
    sheet = load_workbook(io.BytesIO(export_year(SEED_YEAR)))[str(spec.INDICATORS.title)]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if SEED_CODE in r)
    assert [row[headers.index(f"เกณฑ์ระดับ {n}")] for n in range(1, 6)] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("values, message", [
    ((6, 5, 4, 3, 2), "ต้องเรียงจากน้อยไปมาก"),  # the seed is higher-is-better
    ((2, 3, None, 5, 6), "กรอกเกณฑ์ให้ครบทั้ง 5 ระดับ"),
])
def test_criteria_out_of_order_or_incomplete_write_nothing(seed, values, message):
    levels = {(SEED_CODE, f"criteria_level_{n}"): value for n, value in enumerate(values, start=1)}
    summary = run(edit(export_year(SEED_YEAR), spec.INDICATORS, levels), apply=True)
    assert not summary["applied"]
    assert any(message in p["message"] and p["row"] == 2 and p["sheet"] == str(spec.INDICATORS.title)
               for p in summary["problems"]), summary["problems"]
    seed.refresh_from_db()
    assert seed.criteria_level_1 is None


def test_the_workbook_is_thai_whatever_the_page_language(seed):
    """Its sheet names, headers and choices are the format: a file exported
    from an English page imports from a Thai one, and the other way round."""
    from django.utils import translation

    with translation.override("en"):
        content = export_year(SEED_YEAR)
        assert str(spec.INDICATORS.title) != "ตัวชี้วัด"  # the interface is English here
        summary = run(content)
    assert "ตัวชี้วัด" in load_workbook(io.BytesIO(content)).sheetnames
    assert summary["problems"] == [] and counts(summary, spec.INDICATORS)["unchanged"] >= 1
