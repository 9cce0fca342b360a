"""The workbook's projects (โครงการ) and activities (กิจกรรม): the round
trip, row errors, idempotence, nothing deleted, history, the export of what
the user may see, the template; and the rollover carrying projects."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Agency, FiscalYear, Indicator
from projects.models import Milestone, Project, ProjectEvidence, ProjectUpdate
from tests.factories import AgencyFactory, MilestoneFactory, ProjectFactory, ProjectUpdateFactory
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from tests.workbook_support import append_rows, column_letter, edit
from yearsetup.rollover import rollover
from yearsetup.workbook import columns as spec
from yearsetup.workbook import service
from yearsetup.workbook.export import export_workbook, template_workbook

pytestmark = pytest.mark.django_db
NEXT = SEED_YEAR + 1


def run(content, apply=False, user=None, **options):
    return service.run(content, file_name="plan.xlsx", user=user or AnonymousUser(), apply=apply, **options)


def counts(summary, sheet):
    return next(c for c in summary["counts"] if c["sheet"] == str(sheet.title))


def export_year(year):
    return export_workbook(Indicator.objects.filter(fiscal_year__year=year),
                           projects=Project.objects.filter(fiscal_year__year=year))


@pytest.fixture
def projects_year(seed, make_user):
    """The seed's year with three projects: one continuing last year's, with
    districts, an indicator, a responsible user and two activities; one with
    three activities; one with none."""
    owner = seed.owner
    districts = [AgencyFactory(code=f"19{n:02d}", kind=Agency.Kind.DISTRICT_OFFICE) for n in (1, 2)]
    earlier = ProjectFactory(fiscal_year=FiscalYear.objects.get_or_create(year=SEED_YEAR - 1)[0], owner=owner,
                             code="2100-0001")
    first = ProjectFactory(
        fiscal_year=seed.fiscal_year, owner=owner, code="2100-0001", continues_from=earlier,
        responsible_user=make_user("reporter", [owner]), rationale="เพราะ\nหลายบรรทัด", objectives="=ไม่ใช่สูตร",
        planned_start=datetime.date(2019, 10, 1), planned_finish=datetime.date(2020, 9, 30),
        actual_start=datetime.date(2019, 11, 15), budget_allocated=Decimal("1234567.50"), budget_source="งบกลาง")
    first.districts.set(districts)
    first.indicators.set([seed])
    MilestoneFactory(project=first, order=1, weight=Decimal("40"), planned_start=datetime.date(2019, 10, 1),
                     planned_finish=datetime.date(2019, 12, 31))
    MilestoneFactory(project=first, order=2, weight=Decimal("60"))
    second = ProjectFactory(fiscal_year=seed.fiscal_year, owner=owner, code="2100-0002")
    for order, weight in ((1, "33.33"), (2, "33.33"), (3, "33.34")):
        MilestoneFactory(project=second, order=order, weight=Decimal(weight))
    ProjectFactory(fiscal_year=seed.fiscal_year, owner=owner, code="2100-0003")
    return seed.fiscal_year


def snapshot(year):
    """Everything the two sheets carry of a year's projects, by code."""
    # sheet_version and the stored standing are derived, not what the sheets carry.
    skip = {"id", "fiscal_year", "sheet_version", "created_at", "progress", "disbursed", "standing", "standing_on"}
    rows = {}
    for project in Project.objects.filter(fiscal_year__year=year).select_related("owner", "continues_from"):
        row = {f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields if f.name not in skip}
        row.pop("continues_from_id")
        row.pop("owner_id")
        row["owner"] = project.owner.code
        row["continues_from"] = project.continues_from.code if project.continues_from else None
        row["districts"] = sorted(project.districts.values_list("code", flat=True))
        row["indicators"] = sorted(project.indicators.values_list("code", flat=True))
        row["milestones"] = list(project.milestones.order_by("order").values_list(
            "order", "name", "weight", "planned_start", "planned_finish"))
        rows[project.code] = row
    return rows


def problems_of(summary):
    return [(p["sheet"], p["row"], p["column"], p["message"]) for p in summary["problems"]]


# --- round trip ------------------------------------------------------------------

def test_reimporting_the_export_changes_nothing(projects_year):
    content = export_year(SEED_YEAR)
    before = snapshot(SEED_YEAR)
    versions = dict(Project.objects.values_list("code", "sheet_version"))
    histories = Project.history.count(), Milestone.history.count()

    summary = run(content, apply=True)

    assert summary["applied"], summary["problems"]
    for sheet in (spec.PROJECTS, spec.MILESTONES):
        assert (counts(summary, sheet)["created"], counts(summary, sheet)["updated"]) == (0, 0)
    assert counts(summary, spec.PROJECTS)["unchanged"] == Project.objects.filter(fiscal_year__year=SEED_YEAR).count()
    assert counts(summary, spec.MILESTONES)["unchanged"] == Milestone.objects.filter(project__fiscal_year__year=SEED_YEAR).count()
    assert snapshot(SEED_YEAR) == before
    assert dict(Project.objects.values_list("code", "sheet_version")) == versions
    assert (Project.history.count(), Milestone.history.count()) == histories


def test_the_export_imported_into_a_year_without_its_projects_makes_them_again(projects_year):
    content = export_year(SEED_YEAR)
    before = snapshot(SEED_YEAR)
    Project.objects.filter(fiscal_year__year=SEED_YEAR).delete()

    summary = run(content, apply=True)

    assert summary["applied"], summary["problems"]
    assert counts(summary, spec.PROJECTS)["created"] == len(before)
    assert counts(summary, spec.MILESTONES)["created"] == Milestone.objects.filter(
        project__fiscal_year__year=SEED_YEAR).count()
    assert snapshot(SEED_YEAR) == before
    first = Project.objects.get(fiscal_year__year=SEED_YEAR, code="2100-0001")
    assert first.history.get().history_change_reason == "นำเข้าจากไฟล์ plan.xlsx"
    # And importing the same file once more changes nothing.
    again = run(content, apply=True)
    assert counts(again, spec.PROJECTS)["created"] == counts(again, spec.PROJECTS)["updated"] == 0
    assert counts(again, spec.MILESTONES)["created"] == counts(again, spec.MILESTONES)["updated"] == 0


def test_dates_are_written_and_read_in_the_buddhist_era(projects_year):
    content = export_year(SEED_YEAR)
    ws = load_workbook(io.BytesIO(content))[str(spec.PROJECTS.title)]
    letter = column_letter(ws, spec.PROJECTS.by_key["planned_start"].header)
    assert ws[f"{letter}2"].value == "01/10/2562"

    typed = edit(content, spec.PROJECTS, {("2100-0003", "planned_start"): "๑ ม.ค. ๒๕๖๓",
                                          ("2100-0003", "planned_finish"): datetime.datetime(2020, 3, 31)})
    summary = run(typed, apply=True)

    assert summary["applied"], summary["problems"]
    third = Project.objects.get(fiscal_year__year=SEED_YEAR, code="2100-0003")
    assert (third.planned_start, third.planned_finish) == (datetime.date(2020, 1, 1), datetime.date(2020, 3, 31))


def test_an_edited_project_and_activity_are_updates_with_their_history(projects_year, make_user):
    admin = make_user("administrator")
    version = Project.objects.get(code="2100-0002", fiscal_year=projects_year).sheet_version
    content = edit(export_year(SEED_YEAR), spec.PROJECTS, {("2100-0002", "name"): "ชื่อใหม่",
                                                           ("2100-0002", "indicators"): SEED_CODE})

    summary = run(content, apply=True, user=admin)

    assert summary["applied"], summary["problems"]
    assert counts(summary, spec.PROJECTS)["updated"] == 1
    assert summary["updated"][0]["fields"] == ["ชื่อโครงการ/กิจกรรม", "รหัสตัวชี้วัดที่สนับสนุน"]
    project = Project.objects.get(code="2100-0002", fiscal_year=projects_year)
    assert project.name == "ชื่อใหม่" and list(project.indicators.values_list("code", flat=True)) == [SEED_CODE]
    assert project.sheet_version == version + 1
    latest = project.history.latest()
    assert (latest.name, latest.history_user, latest.history_change_reason) == (
        "ชื่อใหม่", admin, "นำเข้าจากไฟล์ plan.xlsx")


# --- row errors -------------------------------------------------------------------

@pytest.mark.parametrize(("sheet", "cell", "value", "column", "message"), [
    (spec.PROJECTS, ("2100-0002", "code"), "ABC", "รหัสโครงการ",
     "รหัสโครงการต้องเป็นรหัสหน่วยงาน ตามด้วย - และเลขลำดับ"),
    (spec.PROJECTS, ("2100-0002", "owner"), "7777", "รหัสหน่วยงานเจ้าของ", "ไม่พบหน่วยงานรหัส “7777”"),
    (spec.PROJECTS, ("2100-0002", "indicators"), f"{SEED_CODE}, 9-9-9", "รหัสตัวชี้วัดที่สนับสนุน",
     f"ไม่พบตัวชี้วัดรหัส “9-9-9” ในปีงบประมาณ {SEED_YEAR}"),
    (spec.PROJECTS, ("2100-0002", "continues_from"), "2100-0404", "รหัสโครงการปีก่อน",
     f"ไม่พบโครงการรหัส “2100-0404” ในปีงบประมาณ {SEED_YEAR - 1}"),
    (spec.PROJECTS, ("2100-0002", "districts"), "2100", "รหัสสำนักงานเขตที่ดำเนินการ",
     "หน่วยงานรหัส “2100” ไม่ใช่สำนักงานเขต"),
    (spec.PROJECTS, ("2100-0002", "responsible_user"), "nobody", "ชื่อผู้ใช้ของผู้รับผิดชอบ", "ไม่พบผู้ใช้ “nobody”"),
    (spec.PROJECTS, ("2100-0002", "planned_start"), "1/10/2020", "วันเริ่มตามแผน", "กรุณาพิมพ์ปีเป็น พ.ศ."),
    (spec.PROJECTS, ("2100-0002", "budget_allocated"), -5, "งบประมาณที่ได้รับ (บาท)", "ต้องไม่น้อยกว่า 0"),
    (spec.PROJECTS, ("2100-0002", "continues_from"), "2100-0001", "รหัสโครงการปีก่อน",
     "โครงการรหัส “2100-0001” ของปีก่อนมีโครงการ “2100-0001” ต่อเนื่องอยู่แล้ว"),
])
def test_a_bad_project_cell_writes_nothing_and_is_named(projects_year, sheet, cell, value, column, message):
    before = snapshot(SEED_YEAR)
    content = edit(export_year(SEED_YEAR), sheet, {cell: value})

    summary = run(content, apply=True)

    assert not summary["applied"]
    [(title, row, where, text)] = problems_of(summary)
    assert (title, row) == ("โครงการ", 3)  # 2100-0002 is the second row of data
    assert where.endswith(f"({column})") and message in text, text
    assert snapshot(SEED_YEAR) == before


def _milestone_cell(content, code, order, key):
    ws = load_workbook(io.BytesIO(content))[str(spec.MILESTONES.title)]
    code_letter = column_letter(ws, spec.MILESTONES.by_key["project"].header)
    order_letter = column_letter(ws, spec.MILESTONES.by_key["order"].header)
    row = next(r for r in range(2, ws.max_row + 1)
               if ws[f"{code_letter}{r}"].value == code and ws[f"{order_letter}{r}"].value == order)
    return f"{column_letter(ws, spec.MILESTONES.by_key[key].header)}{row}", row


def test_weights_that_do_not_total_100_write_nothing(projects_year):
    content = export_year(SEED_YEAR)
    cell, _row = _milestone_cell(content, "2100-0001", 2, "weight")
    first_row = _milestone_cell(content, "2100-0001", 1, "weight")[1]
    changed = edit(content, spec.MILESTONES, {cell: 50, _milestone_cell(content, "2100-0002", 1, "name")[0]: "ใหม่"})

    summary = run(changed, apply=True)

    assert not summary["applied"]
    [(title, row, where, text)] = problems_of(summary)
    assert (title, row, where.split(" ")[1]) == ("กิจกรรม", first_row, "(น้ำหนัก")
    assert "โครงการ “2100-0001”" in text and "ต้องเท่ากับ 100 (ขณะนี้รวมได้ 90)" in text
    assert not Milestone.objects.filter(name="ใหม่").exists()


def test_an_edited_activity_is_named_by_its_project_and_order(projects_year):
    content = export_year(SEED_YEAR)
    changed = edit(content, spec.MILESTONES, {_milestone_cell(content, "2100-0002", 1, "name")[0]: "ชื่อกิจกรรมใหม่"})

    summary = run(changed, apply=True)

    assert summary["applied"] and counts(summary, spec.MILESTONES)["updated"] == 1
    assert summary["updated"] == [{"sheet": "กิจกรรม", "key": "2100-0002 #1", "fields": ["ชื่อกิจกรรม"]}]
    milestone = Milestone.objects.get(project__code="2100-0002", project__fiscal_year=projects_year, order=1)
    assert milestone.history.latest().history_change_reason == "นำเข้าจากไฟล์ plan.xlsx"


def test_a_new_activity_counts_with_the_ones_the_file_leaves_out(projects_year):
    """2100-0003 has no activities; one of 100 is fine, then one more of 10 is refused
    even in a file without the first."""
    content = export_year(SEED_YEAR)
    added = append_rows(content, spec.MILESTONES, [
        {"project": "2100-0003", "order": 1, "name": "ทั้งหมด", "weight": 100}])
    assert run(added, apply=True)["applied"]

    more = append_rows(content, spec.MILESTONES, [{"project": "2100-0003", "order": 2, "name": "เพิ่ม", "weight": 10}])
    summary = run(more, apply=True)

    assert not summary["applied"]
    assert "ขณะนี้รวมได้ 110" in summary["problems"][0]["message"]
    assert Milestone.objects.filter(project__code="2100-0003").count() == 1


def test_an_activity_of_an_unknown_project_or_a_repeated_order_is_refused(projects_year):
    content = append_rows(export_year(SEED_YEAR), spec.MILESTONES, [
        {"project": "2100-0999", "order": 1, "name": "ไม่มีโครงการ", "weight": 100},
        {"project": "2100-0002", "order": 3, "name": "ซ้ำ", "weight": 1},
    ])
    summary = run(content)
    messages = [p["message"] for p in summary["problems"]]
    assert f"ไม่พบโครงการรหัส “2100-0999” ในปีงบประมาณ {SEED_YEAR}" in messages
    assert any(m.startswith("กิจกรรมลำดับ 3 ของโครงการ “2100-0002” ซ้ำกับแถวที่") for m in messages)


def test_a_project_of_another_year_in_the_file_is_refused(projects_year):
    content = edit(export_year(SEED_YEAR), spec.PROJECTS, {("2100-0002", "fiscal_year"): SEED_YEAR + 5})
    summary = run(content, year=SEED_YEAR)
    assert (summary["problems"][0]["sheet"], summary["problems"][0]["row"]) == ("โครงการ", 3)
    assert "ไม่ตรงกับปีที่เลือกนำเข้า" in summary["problems"][0]["message"]


# --- nothing deleted -------------------------------------------------------------

def test_rows_missing_from_the_file_are_kept_and_counted(projects_year):
    wb = load_workbook(io.BytesIO(export_year(SEED_YEAR)))
    wb[str(spec.PROJECTS.title)].delete_rows(4)  # 2100-0003
    wb[str(spec.MILESTONES.title)].delete_rows(2)  # 2100-0001's first activity
    out = io.BytesIO()
    wb.save(out)

    summary = run(out.getvalue(), apply=True)

    assert summary["applied"], summary["problems"]
    assert counts(summary, spec.PROJECTS)["not_in_file"] == 1
    assert counts(summary, spec.MILESTONES)["not_in_file"] == 1
    assert Project.objects.filter(code="2100-0003", fiscal_year=projects_year).exists()
    assert Milestone.objects.filter(project__code="2100-0001", project__fiscal_year=projects_year).count() == 2


# --- export and template -----------------------------------------------------------

def _exported_codes(content):
    ws = load_workbook(io.BytesIO(content))[str(spec.PROJECTS.title)]
    return [row[1].value for row in ws.iter_rows(min_row=2)]


def test_the_export_page_writes_only_the_projects_the_user_may_see(projects_year, client, make_user):
    other = ProjectFactory(fiscal_year=projects_year, code="9100-0001")
    ProjectFactory(fiscal_year=FiscalYear.objects.get(year=SEED_YEAR - 1), owner=other.owner, code="9100-0002")
    url = f"/indicators/workbook.xlsx?year={SEED_YEAR}"

    client.force_login(make_user("reporter", [other.owner]))
    assert _exported_codes(client.get(url).content) == ["9100-0001"]
    client.force_login(make_user("manager"))
    every = sorted(Project.objects.filter(fiscal_year__year=SEED_YEAR).values_list("code", flat=True))
    assert _exported_codes(client.get(url).content) == every and "9100-0001" in every


def test_the_export_job_writes_the_projects_its_owner_may_see(projects_year, make_user):
    from django.http import QueryDict

    from reports import export_jobs
    from yearsetup import job_kinds

    other = ProjectFactory(fiscal_year=projects_year, code="9100-0001")
    owner = make_user("reporter", [other.owner])
    export = export_jobs.EXPORTS[job_kinds.WORKBOOK_XLSX]
    from indicators.filters import filter_for

    filterset, _years = filter_for(owner, QueryDict(f"year={SEED_YEAR}"))
    assert _exported_codes(export.build(filterset, {"viewer": str(owner.pk)}, None)) == ["9100-0001"]
    # Without the viewer, no project at all (never everything).
    assert _exported_codes(export.build(filterset, {}, None)) == []


def test_the_export_takes_the_same_queries_for_more_projects(projects_year):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            export_year(SEED_YEAR)
        return len(captured)

    few = queries()
    for n in range(5):
        project = ProjectFactory(fiscal_year=projects_year, code=f"2100-05{n:02d}",
                                 responsible_user=Project.objects.get(code="2100-0001",
                                                                      fiscal_year=projects_year).responsible_user)
        project.districts.set(Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE)[:2])
        MilestoneFactory(project=project, weight=100)
    assert queries() == few


def test_the_template_has_both_sheets_with_an_example_row():
    wb = load_workbook(io.BytesIO(template_workbook()))
    for sheet in (spec.PROJECTS, spec.MILESTONES):
        ws = wb[str(sheet.title)]
        assert [c.value for c in ws[1]] == [str(c.header) for c in sheet.columns]
        assert str(ws["A2"].value).startswith("ตัวอย่าง") and ws.max_row == 2
    assert run(template_workbook(), year=2570)["ok"]


# --- rollover ---------------------------------------------------------------------

def test_the_rollover_carries_projects_with_their_lineage_and_without_their_updates(projects_year):
    first = Project.objects.get(fiscal_year=projects_year, code="2100-0001")
    update = ProjectUpdateFactory(project=first, quarter=1, progress=Decimal("30"), narrative="ปีเก่า",
                                  score=Decimal("80"))
    ProjectEvidence.objects.create(project=first, quarter=1, file="project-evidence/x", original_name="x.pdf",
                                   content_type="application/pdf", size=1)

    rolled = rollover(source=SEED_YEAR, user=AnonymousUser())

    count = Project.objects.filter(fiscal_year=projects_year).count()
    assert (rolled.projects_created, rolled.projects_already_there) == (count, 0)
    copy = Project.objects.get(fiscal_year__year=NEXT, code="2100-0001")
    assert copy.continues_from == first
    assert (copy.name, copy.owner, copy.responsible_user, copy.rationale, copy.budget_allocated,
            copy.planned_start) == (first.name, first.owner, first.responsible_user, first.rationale,
                                    first.budget_allocated, first.planned_start)
    assert copy.actual_start is None
    assert sorted(copy.districts.values_list("code", flat=True)) == ["1901", "1902"]
    # The supported indicator is the new year's one of the same code.
    assert list(copy.indicators.values_list("fiscal_year__year", "code")) == [(NEXT, SEED_CODE)]
    assert list(copy.milestones.values_list("order", "name", "weight")) == list(
        first.milestones.values_list("order", "name", "weight"))
    assert not ProjectUpdate.objects.filter(project__fiscal_year__year=NEXT).exists()
    assert not ProjectEvidence.objects.filter(project__fiscal_year__year=NEXT).exists()
    assert copy.history.get().history_change_reason == f"ยกมาจากปีงบประมาณ {SEED_YEAR}"
    update.refresh_from_db()
    assert update.project == first and update.narrative == "ปีเก่า"


def test_a_second_rollover_adds_no_project(projects_year):
    rollover(source=SEED_YEAR, user=AnonymousUser())
    before = Project.objects.filter(fiscal_year__year=NEXT).count(), Milestone.objects.count()

    again = rollover(source=SEED_YEAR, user=AnonymousUser())

    assert again.projects_created == 0 and again.projects_already_there == before[0]
    assert (Project.objects.filter(fiscal_year__year=NEXT).count(), Milestone.objects.count()) == before


def test_the_rollover_can_leave_the_projects(projects_year):
    rolled = rollover(source=SEED_YEAR, user=AnonymousUser(), carry_projects=False)
    assert rolled.projects_created == 0
    assert not Project.objects.filter(fiscal_year__year=NEXT).exists()


def test_the_rollover_job_counts_the_projects_carried(projects_year, admin_client):
    from jobs.models import Job

    response = admin_client.post("/indicators/rollover/", {"source": SEED_YEAR, "carry_targets": "on",
                                                           "carry_projects": "on"}, follow=True)

    count = Project.objects.filter(fiscal_year=projects_year).count()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.result["projects_created"] == count
    assert f"ยกโครงการมา {count} โครงการ" in response.content.decode()
    assert Project.objects.filter(fiscal_year__year=NEXT).count() == count


def test_the_rollover_form_carries_projects_by_default(projects_year):
    from yearsetup.forms import RolloverForm

    assert RolloverForm().fields["carry_projects"].initial is True
    form = RolloverForm({"source": str(SEED_YEAR)})
    assert form.is_valid() and form.cleaned_data["carry_projects"] is False  # an unticked box is no
