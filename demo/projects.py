"""The demo's projects (โครงการ/กิจกรรม), added by load_demo: the seed
indicator's own project (2100-1037's "โครงการรับฟังความคิดเห็นของประชาชน
เพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต", its four quarters as
the sheet's narratives tell them) and, with --city, the city's projects: a
finished year (every quarter reported and scored) and the running year with
its open quarter at every stage of the workflow and every standing
(projects.progress.Standing), some continuing last year's projects under a
new code.

Deterministic (fixed seeds; the running year's figures also for the day,
which is the open quarter's reporting day: today while its window is open).
Written with bulk_create, and the history each row would have had if it had
been entered (registered, drafted, submitted, returned, accepted, scored) is
written through simple-history's bulk_history_create with the reason and
the person, as indicators.workflow.record_change gives it. Added once: a
database that holds any project gets none (a second load adds nothing)."""

import copy
import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from demo import project_texts as texts
from demo.synthetic import DISTRICTS, _submission_times
from indicators.models import Agency, FiscalYear, Indicator, Quarter
from indicators.workflow import record_change
from projects import progress, standing
from projects.models import Milestone, MilestoneProgress, Project, ProjectUpdate

Standing = progress.Standing
Status = ProjectUpdate.Status
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

SEED_YEAR, SEED_INDICATOR = 2563, "2100-1037"
SEED_PROJECT_CODE = "2100-2460"
SEED_PROJECT_NAME = "โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต"
# The old site's survey project, registered again each year under a new code.
SURVEY_AGENCY, SURVEY_SERIALS = "3300", (2489, 2531)
SURVEY_NAME = "โครงการสำรวจข้อมูลการใช้ประโยชน์ที่ดินและอาคารเพื่อการวางและจัดทำผังเมืองรวมกรุงเทพมหานคร"
FINISHED_PROJECTS, RUNNING_PROJECTS = 50, 125
# The open quarter at each stage: a status, and whether it is scored.
STAGES = [(Status.NOT_STARTED, False), (Status.DRAFT, False), (Status.SUBMITTED, False), (Status.RETURNED, False),
          (Status.ACCEPTED, False), (Status.ACCEPTED, True), (Status.AWAITING_APPROVAL, False)]
STANDINGS = [Standing.NOT_STARTED, Standing.ON_PLAN, Standing.BEHIND, Standing.OVERDUE, Standing.FINISHED]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _ceil(value: Decimal | None) -> Decimal:
    return Decimal(math.ceil(value or 0))


def _floor(value: Decimal | None) -> Decimal:
    return Decimal(math.floor(value or 0))


def _at(day: datetime.date, hour: float) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30))
                               + datetime.timedelta(hours=hour))


# --- history as if entered ---------------------------------------------------------------

class Journal:
    """The steps each row went through (who, when, why, what changed), written
    as its history rows once the rows have their keys. Changes are given by
    attribute name (submitted_by_id, not submitted_by): the history copies
    share the row's related-object cache."""

    def __init__(self):
        self.rows = []

    def record(self, obj, when, user, reason, **changes):
        journal = obj.__dict__.get("_journal")
        if journal is None:
            journal = obj._journal = ({}, [])
            self.rows.append(obj)
        initial, steps = journal
        for name, value in changes.items():
            initial.setdefault(name, getattr(obj, name))
            setattr(obj, name, value)
        steps.append((when, user, reason, changes))

    def write(self):
        created, changed = defaultdict(list), defaultdict(list)
        for obj in self.rows:
            initial, steps = obj._journal
            state = dict(initial)
            for index, (when, user, reason, changes) in enumerate(steps):
                state.update(changes)
                snapshot = copy.copy(obj)
                for name, value in state.items():
                    setattr(snapshot, name, value)
                record_change(snapshot, user, reason)
                snapshot._history_date = when
                (created if index == 0 else changed)[type(obj)].append(snapshot)
        for model, rows in created.items():
            model.history.bulk_history_create(rows, batch_size=1000)
        for model, rows in changed.items():
            model.history.bulk_history_create(rows, batch_size=1000, update=True)


# --- what a project is made of -----------------------------------------------------------------

@dataclass
class Spec:
    """One project to make; the running year's also say where it should stand."""

    owner: Agency
    indicators: list
    name: str
    topic: tuple
    activities: list = field(default_factory=list)  # names; empty = progress typed
    continues: Project | None = None
    standing: str = Standing.ON_PLAN
    stage: tuple = (Status.ACCEPTED, True)
    code: str = ""
    typed_progress: Decimal | None = None
    over_budget: bool = False
    without_budget: bool = False
    finished: bool = True  # the finished year's: completed by its end


class World:
    """What every project draws on: the agencies, the users, the texts' random stream."""

    def __init__(self, rng):
        self.rng = rng
        self.districts = list(Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE).order_by("code"))
        by_name = {agency.name: agency for agency in self.districts}
        self.groups = {group: [by_name[f"สำนักงานเขต{name}"] for name in names if f"สำนักงานเขต{name}" in by_name]
                       for group, names in DISTRICTS.items()}
        User = get_user_model()
        self.reporters = {}
        for user in User.objects.filter(groups__name="reporter").prefetch_related("agencies").order_by("pk"):
            for agency in user.agencies.all():
                self.reporters.setdefault(agency.pk, user)
        self.evaluator = User.objects.filter(groups__name="evaluator").order_by("pk").first()
        self.administrator = User.objects.filter(is_superuser=True).order_by("pk").first()
        self.phones = {}

    def place(self, agency) -> str:
        return agency.name.replace("สำนักงาน", "") if agency.kind == Agency.Kind.DISTRICT_OFFICE else ""

    def phone(self, agency) -> str:
        rng = self.rng
        base = self.phones.setdefault(agency.pk, f"02 {rng.randint(220, 999)} {rng.randint(1000, 9999)}")
        return f"{base} ต่อ {rng.randint(1000, 9999)}"

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(texts.TITLES)}{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"


def _weights(rng, count):
    """Weights totalling exactly 100, as people type them: multiples of 5,
    or an even split in two decimals (33.33, 33.33, 33.34)."""
    if rng.random() < 0.15:
        weights = [_money(HUNDRED / count)] * count
        weights[-1] += HUNDRED - sum(weights)
        return weights
    parts = [rng.randint(1, 4) for _ in range(count)]
    units = [max(1, round(20 * part / sum(parts))) for part in parts]
    while sum(units) != 20:  # the rounding, taken from or given to the largest
        largest = units.index(max(units))
        units[largest] += 1 if sum(units) < 20 else -1
    return [Decimal(5 * unit) for unit in units]


def _spans(start, finish, count):
    """Activities that overlap and follow one another across the project's span."""
    step = (finish - start).days / (count + 1)
    return [(start + datetime.timedelta(days=round(i * step)),
             finish if i == count - 1 else start + datetime.timedelta(days=round((i + 2) * step)))
            for i in range(count)]


def _activities(rng, topic, count):
    middle = rng.sample(texts.MIDDLE_ACTIVITIES, k=max(0, count - 3))
    return [texts.FIRST_ACTIVITY, *middle, topic[2], texts.LAST_ACTIVITY][-count:] if count >= 3 else \
        [topic[2], texts.LAST_ACTIVITY][-count:]


def _budget(rng, year, owner, spec):
    if spec.without_budget:
        return None, texts.OTHER_SOURCES[2]
    amount = Decimal(round(math.exp(rng.uniform(math.log(60_000), math.log(18_000_000))), -2))
    amount += Decimal(rng.choice(["0", "0", "0", "0.50", "0.25", "0.75"]))
    if rng.random() < 0.08:
        return _money(amount), texts.OTHER_SOURCES[rng.randint(0, 1)]
    plan = rng.choice(texts.BUDGET_PLANS)
    return _money(amount), f"งบประมาณกรุงเทพมหานคร ปี พ.ศ. {year} {plan} รหัส {owner.code[:4]}-{rng.randint(1000, 9999)}"


def _project(world, fiscal_year, spec, start, finish):
    rng = world.rng
    place_text = world.place(spec.owner) or "กรุงเทพมหานคร"
    allocated, source = _budget(rng, fiscal_year.year, spec.owner, spec)
    rationale = " ".join(sentence.format(year=fiscal_year.year, agency=spec.owner.name)
                         for sentence in texts.RATIONALE)
    project = Project(
        fiscal_year=fiscal_year, code=spec.code, name=spec.name, owner=spec.owner,
        responsible_name=world.person(), responsible_phone=world.phone(spec.owner),
        rationale=rationale,
        objectives="\n".join(line.format(core=spec.topic[2]) for line in texts.OBJECTIVES),
        target_group=f"{spec.topic[3].format(place=place_text)} จำนวนประมาณ {rng.choice([300, 500, 1200, 2500]):,} คน",
        planned_start=start, planned_finish=finish, budget_allocated=allocated, budget_source=source,
        continues_from=spec.continues,
    )
    if spec.owner.kind == Agency.Kind.DISTRICT_OFFICE:
        project._districts = [spec.owner]
    else:
        draw = rng.random()
        if draw < 0.4 or not world.districts:
            project._districts = []  # city-wide
        elif draw < 0.7:
            project._districts = list(rng.choice(list(world.groups.values())))
        else:
            project._districts = rng.sample(world.districts, k=min(len(world.districts), rng.randint(2, 5)))
    project._indicators = spec.indicators
    project._topic = spec.topic
    project._milestones = []
    project._updates = []
    return project


def _milestones(world, project, names, spans, weights=None):
    weights = weights or _weights(world.rng, len(names))
    project._milestones = [
        Milestone(project=project, name=name, weight=weight, planned_start=start, planned_finish=finish, order=i)
        for i, (name, weight, (start, finish)) in enumerate(zip(names, weights, spans, strict=True), start=1)]
    return project._milestones


def _planned(project, day):
    activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in project._milestones]
    return progress.planned_progress(activities, project.planned_start, project.planned_finish, day)


def _weighted(project, percents):
    """The progress the activities' percents make (the rule the entry form applies)."""
    return progress.weighted_progress(
        [(m.weight, percent) for m, percent in zip(project._milestones, percents, strict=True)])


def _narrative(rng, project, percents, typed):
    lines = [f"{i}. {m.name} ดำเนินการแล้วร้อยละ {percent:.0f}"
             for i, (m, percent) in enumerate(zip(project._milestones, percents, strict=True), start=1)]
    if typed is not None and not lines:
        lines = [f"ดำเนินการแล้วร้อยละ {typed:.0f} ของแผนงานทั้งโครงการ"]
    return " ".join(lines + rng.sample(texts.UPDATE_SENTENCES, k=2))


@dataclass
class Report:
    """One quarter's update as its reporter and evaluator left it."""

    quarter: int
    stage: tuple
    progress: Decimal | None = None
    percents: list = field(default_factory=list)  # in the order of the project's milestones
    disbursed: Decimal | None = None
    planned_disbursement: Decimal | None = None
    narrative: str = ""
    problems: str = ""
    delay_reason: str = ""
    comment: str = ""
    score: Decimal | None = None
    score_reason: str = ""
    returned_first: bool = False
    times: tuple | None = None  # (drafted, submitted, reviewed) to use instead of drawn ones


def _add_update(world, journal, project, report, window, times_rng, now, previous_progress, actual_finish):
    """The update row, its activities' percents and the history of how it got there."""
    update = ProjectUpdate(project=project, quarter=report.quarter)
    project._updates.append(update)
    status, scored = report.stage
    if status == Status.NOT_STARTED:
        journal.record(update, _at(window.opens_on, 0), None, f"เปิดรอบการรายงานไตรมาสที่ {report.quarter}")
        return update
    reporter = world.reporters.get(project.owner.pk)
    evaluator = world.evaluator
    reporter_id = reporter.pk if reporter else None
    evaluator_id = evaluator.pk if evaluator else None
    if report.times:
        drafted, submitted, reviewed = report.times
    else:
        submitted, reviewed = _submission_times(times_rng, window, now)
        # Typed a few days before it was sent, in office hours too.
        drafted = min(_at(timezone.localdate(submitted) - datetime.timedelta(days=times_rng.randint(0, 3)),
                          times_rng.uniform(0, 8)), submitted - datetime.timedelta(minutes=times_rng.randint(10, 90)))
    if status == Status.DRAFT:
        drafted = submitted
    found = progress.warnings(progress=report.progress, previous_progress=previous_progress,
                              disbursed=report.disbursed, allocated=project.budget_allocated,
                              actual_finish=actual_finish)
    version = 1
    journal.record(update, drafted, reporter, "บันทึกฉบับร่าง", status=Status.DRAFT, progress=report.progress,
                   disbursed=report.disbursed, planned_disbursement=report.planned_disbursement,
                   narrative=report.narrative, problems=report.problems, delay_reason=report.delay_reason,
                   warnings=found, warnings_confirmed=bool(found), version=version, updated_at=drafted,
                   updated_by_id=reporter_id)
    for milestone, percent in zip(project._milestones, report.percents, strict=True):
        row = MilestoneProgress(update=update, milestone=milestone, percent=percent)
        update._progress_rows = [*getattr(update, "_progress_rows", []), row]
        journal.record(row, drafted, reporter, "บันทึกฉบับร่าง")
    if status == Status.DRAFT:
        return update

    def step(when, user, reason, **changes):
        nonlocal version
        version += 1
        journal.record(update, when, user, reason, version=version, updated_at=when,
                       updated_by_id=user.pk if user else None, **changes)

    if status == Status.AWAITING_APPROVAL:  # the year asks for the agency's sign-off (issue 24)
        step(submitted, reporter, "ส่งรายงานความคืบหน้าโครงการ รอผู้อนุมัติของหน่วยงานอนุมัติ",
             status=Status.AWAITING_APPROVAL, submitted_at=submitted, submitted_by_id=reporter_id)
        return update
    step(submitted, reporter, "ส่งรายงานความคืบหน้าโครงการ", status=Status.SUBMITTED, submitted_at=submitted,
         submitted_by_id=reporter_id)
    if status == Status.SUBMITTED:
        return update
    comment = report.comment or texts.RETURN_COMMENTS[report.quarter % len(texts.RETURN_COMMENTS)]
    if status == Status.RETURNED or report.returned_first:
        step(reviewed, evaluator, f"ส่งกลับแก้ไขไตรมาสที่ {report.quarter}: {comment}", status=Status.RETURNED,
             reviewer_comment=comment, reviewed_at=reviewed, reviewed_by_id=evaluator_id)
        if status == Status.RETURNED:
            return update
        submitted = min(reviewed + datetime.timedelta(days=times_rng.uniform(1, 4)), now)
        step(submitted, reporter, "ส่งรายงานความคืบหน้าโครงการ (แก้ไขตามความเห็นผู้ตรวจประเมิน)",
             status=Status.SUBMITTED, submitted_at=submitted, submitted_by_id=reporter_id)
        reviewed = min(submitted + datetime.timedelta(days=times_rng.uniform(1, 6)), now)
    step(reviewed, evaluator, f"ตรวจรับไตรมาสที่ {report.quarter}", status=Status.ACCEPTED, reviewed_at=reviewed,
         reviewed_by_id=evaluator_id, reviewer_comment="")
    if scored:
        step(reviewed, evaluator,
             f"ประเมินโครงการไตรมาสที่ {report.quarter} คะแนน {report.score:.0f} เหตุผล: {report.score_reason}",
             score=report.score, score_reason=report.score_reason)
    return update


def _score(progress_value, planned):
    gap = (planned or 0) - (progress_value or 0)
    points, reason = texts.SCORE_REASONS[0 if gap <= 0 else 1 if gap < 10 else 2]
    return Decimal(points), reason


def _registered(world, journal, project, day):
    """The project and its activities as the year's workbook brought them in."""
    when = _at(day, world.rng.uniform(0, 7.5))
    reason = f"ลงทะเบียนโครงการประจำปีงบประมาณ {project.fiscal_year.year}"
    journal.record(project, when, world.administrator, reason)
    for milestone in project._milestones:
        journal.record(milestone, when, world.administrator, reason)


# --- saving ------------------------------------------------------------------------------------

def _save(projects, journal):
    Project.objects.bulk_create(projects)
    districts = Project.districts.through
    indicators = Project.indicators.through
    districts.objects.bulk_create([districts(project_id=p.pk, agency_id=a.pk) for p in projects for a in p._districts])
    indicators.objects.bulk_create(
        [indicators(project_id=p.pk, indicator_id=i.pk) for p in projects for i in p._indicators])
    Milestone.objects.bulk_create([m for p in projects for m in p._milestones])
    updates = [u for p in projects for u in p._updates]
    ProjectUpdate.objects.bulk_create(updates)
    MilestoneProgress.objects.bulk_create([row for u in updates for row in getattr(u, "_progress_rows", [])])
    # auto_now / auto_now_add stamped today: the times they were entered instead.
    for p in projects:
        p.created_at = p._journal[1][0][0]
    Project.objects.bulk_update(projects, ["created_at"])
    ProjectUpdate.objects.bulk_update(updates, ["updated_at"])
    journal.write()


# --- the seed indicator's project (FY 2563) --------------------------------------------------

SEED_ACTIVITIES = [
    ("กิจกรรมที่ 1 เตรียมการ: จัดทำแนวทางในการรับฟังความคิดเห็นของภาคประชาสังคม ขอจัดสรรงบประมาณ "
     "และมอบหมายกองยุทธศาสตร์ที่รับผิดชอบกลุ่มการปฏิบัติงานของสำนักงานเขต", 10, (2019, 12, 1), (2020, 3, 31)),
    ("กิจกรรมที่ 2 จัดทำทะเบียนประชาคมที่มีบทบาทในการพัฒนาพื้นที่เขต/กลุ่มเขต", 20, (2020, 2, 1), (2020, 5, 31)),
    ("กิจกรรมที่ 3 ออกหนังสือเชิญประชุมและจัดเวทีรับฟังความคิดเห็นของประชาชนร่วมกับสถาบันการศึกษา "
     "ทั้ง 6 กลุ่มเขต (หลักฐาน: หนังสือเชิญประชุม ภาพถ่ายการจัดกิจกรรม)", 40, (2020, 3, 1), (2020, 6, 30)),
    ("กิจกรรมที่ 4 จัดทำรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่ 6 กลุ่มเขต "
     "(หลักฐาน: ผลการศึกษา)", 30, (2020, 6, 1), (2020, 9, 30)),
]
COVID_DELAY = (
    "กิจกรรมที่ 2 และ 3 เป็นการจัดประชุมรับฟังความคิดเห็นของประชาชน ซึ่งเสี่ยงต่อการแพร่ระบาดของโรคติดเชื้อ"
    "ไวรัสโคโรนา 2019 (COVID-19) ตามมาตรการของรัฐบาลและกรุงเทพมหานคร (หนังสือ ที่ กท 0200/ป.69/2563 "
    "ลงวันที่ 10 มีนาคม 2563) จึงต้องเลื่อนและปรับรูปแบบกิจกรรม และทบทวนกรอบเวลา (Time frame) "
    "และการใช้จ่ายงบประมาณของแต่ละพื้นที่")
# Per quarter: activities' percents, disbursed, planned disbursement, narrative, problems, delay reason,
# (drafted, submitted, reviewed) as the seed's results were sent (fixtures/demo.json).
SEED_QUARTERS = [
    ((40, 0, 0, 0), "0.00", "0.00",
     "ยังไม่มีการจัดเวทีให้ภาคประชาชนเสนอแนะแนวทางในการพัฒนาพื้นที่เพื่อกำหนดนโยบายการพัฒนาเขต "
     "แต่มีการเตรียมการเพื่อดำเนินการในไตรมาสที่ 2 และ 3 โดยอยู่ระหว่างยกร่างแนวทางในการรับฟังความคิดเห็น"
     "ของภาคประชาสังคม", "", "", ("2020-01-08 14:10", "2020-01-10 10:00", "2020-01-20 11:30")),
    ((100, 30, 0, 0), "0.00", "435000.00",
     "1. ทำหนังสือขอจัดสรรงบประมาณเป็นค่าใช้จ่ายในกิจกรรมที่ 2 ตามหนังสือ ที่ กท 0502/154 ลว 29 ม.ค. 2563 "
     "และ สยป. มีหนังสือถึงผู้อำนวยการสำนักงบประมาณกรุงเทพมหานคร ด่วนมาก ที่ กท 0501/254 ลว 3 ก.พ. 2563 "
     "2. มอบหมายภารกิจให้กองยุทธศาสตร์ที่รับผิดชอบสำนักงานเขตในแต่ละกลุ่มการปฏิบัติงาน ตามหนังสือ "
     "ที่ กท 0502/212 ลว 12 ก.พ. 2563 และหนังสือ ด่วนที่สุด ที่ กท 0502/244 ลว 19 ก.พ. 2563 กองยุทธศาสตร์ฯ "
     "ประสานภาคีในพื้นที่และร่างกำหนดการจัดประชุมร่วมกับสำนักงานเขต 3. ประชุมหารือแนวทางการดำเนินโครงการ"
     "ในสถานการณ์การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 เมื่อวันที่ 18 มีนาคม 2563 ณ ห้องโสดสถิตย์ "
     "ที่ประชุมเห็นควรงดกิจกรรมที่มีการชุมนุมของประชาชนจำนวนมาก และประสานความร่วมมือกับสถาบันการศึกษา"
     "และสำนักงานเขตแทน เพื่อให้ได้ 2.1 ทะเบียนประชาคมที่มีบทบาทในการพัฒนาพื้นที่เขต/กลุ่มเขต 2.2 ข้อมูลบริบท"
     "ที่สะท้อนปัญหาและศักยภาพของพื้นที่ 2.3 โครงการ/กิจกรรมสำคัญ (Pilot Project) ที่ประชาคมพิจารณา",
     "การแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (COVID-19) ทำให้ต้องงดกิจกรรมที่มีผู้เข้าร่วมจำนวนมาก",
     COVID_DELAY, ("2020-04-06 15:20", "2020-04-08 10:00", "2020-04-20 09:45")),
    ((100, 80, 20, 10), "186450.00", "1015000.00",
     "ความก้าวหน้าตามกระบวนการของกิจกรรม อยู่ระหว่างดำเนินการตามองค์ประกอบของรายงานผลการศึกษาฯ ดังนี้ "
     "1. รวบรวมทะเบียนประชาคมที่มีบทบาทในการพัฒนาพื้นที่เขต/กลุ่มเขต 2. อยู่ระหว่างจัดทำรายงานผลการศึกษา"
     "บริบทเพื่อการพัฒนาเชิงพื้นที่ในแต่ละสำนักงานเขต 3. กลุ่มกรุงธนใต้สนทนากลุ่มย่อย (Focus group) "
     "กับผู้แทนมหาวิทยาลัยเทคโนโลยีพระจอมเกล้าธนบุรีและประชาคมในพื้นที่ เมื่อวันที่ 18 มิถุนายน 2563",
     "ต้องปรับรูปแบบการรับฟังความคิดเห็นเป็นการประชุมกลุ่มย่อยตามมาตรการป้องกันโรค",
     COVID_DELAY + " การประชุมรับฟังความคิดเห็นของกลุ่มเขตจึงกำหนดใหม่ในเดือนกรกฎาคม–สิงหาคม 2563",
     ("2020-07-08 13:00", "2020-07-10 10:00", "2020-07-21 14:15")),
    ((100, 100, 70, 40), "642300.00", "1450000.00",
     "ข้อมูล ณ วันที่ 24 กรกฎาคม 2563 สำนักงานเขตรายงานบัญชีประชาคมครบถ้วนแล้ว และสำนักยุทธศาสตร์และประเมินผล"
     "ร่วมกับกลุ่มการปฏิบัติงานของสำนักงานเขตดำเนินกิจกรรมรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบาย"
     "เชิงพื้นที่ ดังนี้ 1. กลุ่มกรุงธนใต้ สนทนากลุ่มย่อยกับผู้แทนมหาวิทยาลัยเทคโนโลยีพระจอมเกล้าธนบุรีและ"
     "ประชาคม 2 ครั้ง (18 มิถุนายน และ 2 กรกฎาคม 2563) และประชุมตรวจสอบข้อมูลกับหน่วยงานที่เกี่ยวข้อง "
     "(15 กรกฎาคม 2563) 2. กลุ่มกรุงธนเหนือ ประชุมรับฟังความเห็นฯ เมื่อวันที่ 16 กรกฎาคม 2563 ณ ห้องรัตนโกสินทร์ "
     "3. กลุ่มกรุงเทพกลาง ประชุมรับฟังความเห็นฯ เมื่อวันที่ 16 กรกฎาคม 2563 ณ สำนักงานเขตราชเทวี "
     "4. กลุ่มกรุงเทพเหนือ ประชุมรับฟังความเห็นฯ เมื่อวันที่ 15 กรกฎาคม 2563 ณ สำนักงานเขตจตุจักร "
     "5. กลุ่มกรุงเทพใต้ กำหนดประชุมรับฟังความเห็นฯ ในวันที่ 31 กรกฎาคม 2563 ณ Futuretales Labs "
     "6. กลุ่มกรุงเทพตะวันออก กำหนดรับฟังความคิดเห็น 3 ครั้ง (5, 6 และ 11 สิงหาคม 2563) ณ สถาบันเทคโนโลยี"
     "พระจอมเกล้าเจ้าคุณทหารลาดกระบัง และสำนักงานเขตประเวศ ทั้งนี้ อยู่ระหว่างจัดทำรายงานผลการศึกษาบริบท"
     "เพื่อการพัฒนาเชิงพื้นที่ทั้ง 6 กลุ่มเขต",
     "", "การประชุมรับฟังความคิดเห็นของกลุ่มกรุงเทพใต้และกลุ่มกรุงเทพตะวันออกเลื่อนไปจัดในเดือนกรกฎาคม–สิงหาคม "
     "2563 ตามมาตรการป้องกันโรคติดเชื้อไวรัสโคโรนา 2019 รายงานผลการศึกษาจึงยังไม่แล้วเสร็จ",
     ("2020-10-02 16:00", "2020-10-05 10:00", None)),
]
SEED_SCORE_REASON = "ดำเนินการตามแนวทางที่ปรับตามมาตรการป้องกันโรคติดเชื้อไวรัสโคโรนา 2019 หลักฐานครบถ้วน"


def _time(text):
    if text is None:
        return None
    return timezone.make_aware(datetime.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def _seed_project(world, journal):
    indicator = Indicator.objects.filter(fiscal_year__year=SEED_YEAR, code=SEED_INDICATOR).select_related(
        "fiscal_year", "owner").first()
    if indicator is None:
        return []
    fiscal_year = indicator.fiscal_year
    spec = Spec(owner=indicator.owner, indicators=[indicator], name=SEED_PROJECT_NAME, code=SEED_PROJECT_CODE,
                topic=texts.topic_of("เวทีรับฟัง"))
    project = _project(world, fiscal_year, spec, datetime.date(2019, 12, 1), datetime.date(2020, 9, 30))
    project.responsible_name = "นางสาวพรทิพย์ วงศ์สวัสดิ์"
    project.responsible_phone = "02 224 1234 ต่อ 1520"
    project.rationale = (
        "กรุงเทพมหานครมีเป้าหมายให้ประชาชนมีส่วนร่วมในการเสนอนโยบายและตรวจสอบการทำงานของกรุงเทพมหานคร "
        "(ยุทธศาสตร์ด้านที่ 5 มหานครประชาธิปไตย มิติที่ 5.2 เมืองธรรมาภิบาล) สำนักยุทธศาสตร์และประเมินผลจึงจัดทำ"
        "โครงการนี้ เพื่อให้สำนักงานเขตทั้ง 6 กลุ่มการปฏิบัติงาน (คำสั่งกรุงเทพมหานคร ที่ 2460/2552) จัดเวทีให้"
        "ภาคประชาชนเสนอแนะแนวทางการพัฒนาพื้นที่เพื่อกำหนดนโยบายการพัฒนาเขต และมีรายงานผลการศึกษาบริบท"
        "เพื่อการพัฒนาเชิงพื้นที่ ประกอบด้วยทะเบียนประชาคม ข้อมูลบริบทที่สะท้อนปัญหาและศักยภาพของพื้นที่ "
        "และโครงการ/กิจกรรมสำคัญ (Pilot Project)")
    project.objectives = (
        "1. เพื่อให้ประชาชนมีส่วนร่วมเสนอแนะแนวทางการพัฒนาพื้นที่เพื่อกำหนดนโยบายการพัฒนาเขต\n"
        "2. เพื่อจัดทำทะเบียนประชาคมที่มีบทบาทในการพัฒนาพื้นที่เขต/กลุ่มเขต\n"
        "3. เพื่อจัดทำรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่ของกลุ่มการปฏิบัติงานของสำนักงานเขต 6 กลุ่ม")
    project.target_group = ("ประชาคม ภาคประชาสังคม สถาบันการศึกษาในพื้นที่ และสำนักงานเขตทั้ง 50 เขต "
                            "ใน 6 กลุ่มการปฏิบัติงานของสำนักงานเขต")
    project.budget_allocated = Decimal("1450000.00")
    project.budget_source = ("งบประมาณกรุงเทพมหานคร ประจำปีงบประมาณ พ.ศ. 2563 แผนงานบริหารทั่วไป "
                             "งานบริหารทั่วไปสำนักยุทธศาสตร์และประเมินผล (ค่าใช้สอย)")
    project._districts = list(world.districts)
    _milestones(world, project, [name for name, *_ in SEED_ACTIVITIES],
                [(datetime.date(*start), datetime.date(*finish)) for *_, start, finish in SEED_ACTIVITIES],
                weights=[Decimal(weight) for _, weight, *_ in SEED_ACTIVITIES])
    _registered(world, journal, project, datetime.date(2019, 11, 15))
    windows = {q.number: q for q in Quarter.objects.filter(fiscal_year=fiscal_year)}
    previous = None
    for quarter, (percents, disbursed, planned, narrative, problems, delay, times) in enumerate(SEED_QUARTERS, 1):
        percents = [Decimal(p) for p in percents]
        value = _weighted(project, percents)
        drafted, submitted, reviewed = (_time(t) for t in times)
        if quarter == 1:
            journal.record(project, drafted, world.reporters.get(project.owner.pk), "บันทึกวันเริ่มดำเนินการจริง",
                           actual_start=datetime.date(2019, 12, 2))
        report = Report(quarter=quarter, stage=(Status.ACCEPTED, True) if reviewed else (Status.SUBMITTED, False),
                        progress=value, percents=percents, disbursed=Decimal(disbursed),
                        planned_disbursement=Decimal(planned), narrative=narrative, problems=problems,
                        delay_reason=delay, score=HUNDRED, score_reason=SEED_SCORE_REASON,
                        times=(drafted, submitted, reviewed))
        _add_update(world, journal, project, report, windows.get(quarter), None, timezone.now(), previous, None)
        previous = value
    return [project]


# --- the city ----------------------------------------------------------------------------------

class Codes:
    """Codes as the old site numbers them: the owner's code, "-", a serial
    running through the year (some serials kept for the named projects)."""

    def __init__(self, first, reserved):
        self.next, self.reserved = first, set(reserved)

    def take(self, owner):
        while self.next in self.reserved:
            self.next += 1
        self.next += 1
        return f"{owner.code}-{self.next - 1}"


def _indicators_of(year):
    by_owner = defaultdict(list)
    every = list(Indicator.objects.filter(fiscal_year__year=year).select_related("owner").order_by("code"))
    for indicator in every:
        by_owner[indicator.owner_id].append(indicator)
    return every, by_owner


def _pick_indicators(rng, owner, by_owner, every, first=None):
    own = by_owner.get(owner.pk) or []
    chosen = [first] if first else [rng.choice(own)] if own else [rng.choice(every)]
    if len(own) > 1 and rng.random() < 0.15:
        chosen.append(rng.choice([i for i in own if i not in chosen]))
    return chosen


def _name(rng, topic, owner, year, place, suffix):
    name = rng.choice(topic[1]).format(place=place).strip()
    return f"{name} ประจำปีงบประมาณ พ.ศ. {year}" if suffix else name


def _finished_year(world, journal, fiscal_year, rng, times_rng, now):
    """A year over: every quarter reported and scored but some of quarter 4;
    most projects finished, the others overdue at the year's end."""
    every, by_owner = _indicators_of(fiscal_year.year)
    if not every:
        return []
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["2100", SURVEY_AGENCY])}
    codes = Codes(2440, [SURVEY_SERIALS[0]])
    specs = []
    if "2100" in agencies:
        owner = agencies["2100"]
        specs.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every),
                          name=f"{SEED_PROJECT_NAME} ประจำปีงบประมาณ พ.ศ. {fiscal_year.year}",
                          topic=texts.topic_of("เวทีรับฟัง"), activities=PARTICIPATION_ACTIVITIES,
                          code=codes.take(owner), finished=False))
    if SURVEY_AGENCY in agencies:
        owner = agencies[SURVEY_AGENCY]
        specs.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every),
                          name=SURVEY_NAME, topic=texts.topic_of("ผังเมืองรวม"),
                          code=f"{owner.code}-{SURVEY_SERIALS[0]}", finished=False))
    for indicator in rng.sample(every, k=min(len(every), FINISHED_PROJECTS - len(specs))):
        owner = indicator.owner
        topic = texts.topic_of(indicator.name)
        count = rng.choice([0, 3, 3, 4, 4, 5])
        specs.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every, indicator),
                          name=_name(rng, topic, owner, fiscal_year.year, world.place(owner), rng.random() < 0.3),
                          topic=topic, activities=_activities(rng, topic, count) if count else [],
                          code=codes.take(owner), finished=rng.random() < 0.7, over_budget=rng.random() < 0.06))
    fy_start, fy_end = fiscal_year.quarter_period(1)[0], fiscal_year.quarter_period(4)[1]
    windows = {q.number: q for q in Quarter.objects.filter(fiscal_year=fiscal_year)}
    projects = []
    progress_down_done = False
    for spec in specs:
        start = fy_start + datetime.timedelta(days=rng.choice([0, 0, 31, 61]))
        finish = rng.choice([fy_end, fy_end, fiscal_year.quarter_period(3)[1]])
        project = _project(world, fiscal_year, spec, start, finish)
        if spec.activities:
            _milestones(world, project, spec.activities, _spans(start, finish, len(spec.activities)))
        _registered(world, journal, project, fy_start - datetime.timedelta(days=rng.randint(5, 25)))
        pace = Decimal(str(rng.uniform(1.0, 1.2) if spec.finished else rng.uniform(0.6, 0.9)))
        actual_finish = fy_end - datetime.timedelta(days=rng.randint(0, 40)) if spec.finished else None
        previous, disbursed_before = None, Decimal(0)
        for quarter in (1, 2, 3, 4):
            end = fiscal_year.quarter_period(quarter)[1]
            planned = _planned(project, end)
            percents = []
            for m in project._milestones:
                fraction = progress.planned_fraction(m.planned_start, m.planned_finish, end) or Decimal(0)
                percent = min(HUNDRED, (_ceil if spec.finished else _floor)(fraction * pace))
                percents.append(HUNDRED if spec.finished and quarter == 4 else percent)
            if percents:
                value = _weighted(project, percents)
            else:
                value = HUNDRED if spec.finished and quarter == 4 else min(
                    HUNDRED, (_ceil if spec.finished else _floor)((planned or 0) * pace))
            problems = rng.choice(texts.PROBLEMS)
            if not percents and not progress_down_done and quarter == 3 and previous and previous >= 10:
                value, problems, progress_down_done = previous - 5, texts.PROGRESS_DOWN_PROBLEM, True
            allocated = project.budget_allocated
            disbursed = planned_disbursement = None
            if allocated is not None:
                planned_disbursement = _money(allocated * (planned or 0) / HUNDRED)
                disbursed = max(disbursed_before, _money(allocated * value / HUNDRED
                                                         * Decimal(str(rng.uniform(0.7, 1.0)))))
                if spec.over_budget and quarter == 4:
                    disbursed = _money(allocated * Decimal(str(rng.uniform(1.03, 1.12))))
                    problems = texts.OVER_BUDGET_PROBLEM
                disbursed_before = disbursed
            score, reason = _score(value, planned)
            stage = (Status.ACCEPTED, True) if quarter < 4 or rng.random() < 0.8 else (Status.SUBMITTED, False)
            if spec.code.endswith(f"-{SURVEY_SERIALS[0]}") and quarter == 3:
                score, reason = HUNDRED, texts.SCORE_REASONS[0][1]  # "สยป. ประเมินโครงการ : ไตรมาสที่ 3 100"
            report = Report(
                quarter=quarter, stage=stage, progress=value, percents=percents, disbursed=disbursed,
                planned_disbursement=planned_disbursement, narrative=_narrative(rng, project, percents, value),
                problems=problems, delay_reason=rng.choice(texts.DELAY_REASONS) if progress.is_behind(value, planned)
                else "", score=score, score_reason=reason, returned_first=rng.random() < 0.1)
            finish_then = actual_finish if quarter == 4 else None
            update = _add_update(world, journal, project, report, windows[quarter], times_rng, now, previous,
                                 finish_then)
            drafted = update._journal[1][0][0]
            if quarter == 1:
                journal.record(project, drafted, world.reporters.get(project.owner.pk), "บันทึกวันเริ่มดำเนินการจริง",
                               actual_start=start + datetime.timedelta(days=rng.randint(0, 10)))
            if quarter == 4 and actual_finish:
                journal.record(project, drafted, world.reporters.get(project.owner.pk), "บันทึกวันสิ้นสุดจริง",
                               actual_finish=actual_finish)
            previous = value
        projects.append(project)
    return projects


PARTICIPATION_ACTIVITIES = [
    "ทบทวนทะเบียนประชาคมที่มีบทบาทในการพัฒนาพื้นที่เขต/กลุ่มเขต",
    "ออกหนังสือเชิญประชุมและจัดเวทีรับฟังความคิดเห็นของประชาชนทั้ง 6 กลุ่มเขต",
    "จัดทำแผนพัฒนาเชิงพื้นที่ที่ผ่านการรับฟังความคิดเห็นของประชาชน",
    texts.LAST_ACTIVITY,
]


def reference_day(fiscal_year: FiscalYear, quarter: int) -> datetime.date:
    """The day the running year's figures are as of: today while the open
    quarter's window is open, else the window's nearer end."""
    window = Quarter.objects.filter(fiscal_year=fiscal_year, number=quarter).first()
    today = timezone.localdate()
    if window is None:
        return min(max(today, fiscal_year.quarter_period(quarter)[0]), fiscal_year.quarter_period(quarter)[1])
    return min(max(today, window.opens_on), window.closes_on)


def _running_specs(world, fiscal_year, finished, rng):
    every, by_owner = _indicators_of(fiscal_year.year)
    if not every:
        return []
    codes = Codes(2500, [SURVEY_SERIALS[1]])
    fixed = {i.code: i for i in every if i.code in ("2100-2001", "5013-0001")}
    specs = []
    named = {p.code: p for p in finished}
    for earlier in finished:
        if earlier.owner.code == "2100" and earlier.name.startswith(SEED_PROJECT_NAME):
            owner = earlier.owner
            first = fixed.get("2100-2001")
            specs.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every, first),
                              name=f"{SEED_PROJECT_NAME} ประจำปีงบประมาณ พ.ศ. {fiscal_year.year}",
                              topic=earlier._topic, activities=PARTICIPATION_ACTIVITIES, continues=earlier,
                              standing=Standing.ON_PLAN, stage=(Status.RETURNED, False), code=codes.take(owner)))
    survey = named.get(f"{SURVEY_AGENCY}-{SURVEY_SERIALS[0]}")
    if survey is not None:
        specs.append(Spec(owner=survey.owner, indicators=_pick_indicators(rng, survey.owner, by_owner, every),
                          name=SURVEY_NAME, topic=survey._topic, continues=survey, standing=Standing.ON_PLAN,
                          stage=(Status.ACCEPTED, False), code=f"{SURVEY_AGENCY}-{SURVEY_SERIALS[1]}",
                          typed_progress=Decimal(15)))  # "ความคืบหน้าโครงการ ร้อยละ 15"
    if "5013-0001" in fixed:
        indicator = fixed["5013-0001"]
        topic = texts.topic_of("ขยะ")
        specs.append(Spec(owner=indicator.owner, indicators=[indicator],
                          name=_name(rng, topic, indicator.owner, fiscal_year.year, world.place(indicator.owner), True),
                          topic=topic, activities=_activities(rng, topic, 4), standing=Standing.BEHIND,
                          stage=(Status.DRAFT, False), code=codes.take(indicator.owner)))
    generic = []
    # Every other project of last year goes on under this year's code.
    for earlier in finished[2::2]:
        owner = earlier.owner
        generic.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every),
                            name=_name(rng, earlier._topic, owner, fiscal_year.year, world.place(owner), True)
                            if earlier.name.endswith(str(fiscal_year.year - 1)) else earlier.name,
                            topic=earlier._topic, continues=earlier, code=codes.take(owner),
                            activities=[m.name for m in earlier._milestones]))
    pool = [i for i in every if i.code not in fixed]
    rng.shuffle(pool)
    for indicator in pool[:max(0, RUNNING_PROJECTS - len(specs) - len(generic))]:
        owner = indicator.owner
        topic = texts.topic_of(indicator.name)
        count = rng.choice([0, 3, 3, 4, 4, 5])
        generic.append(Spec(owner=owner, indicators=_pick_indicators(rng, owner, by_owner, every, indicator),
                            name=_name(rng, topic, owner, fiscal_year.year, world.place(owner), rng.random() < 0.3),
                            topic=topic, activities=_activities(rng, topic, count) if count else [],
                            code=codes.take(owner)))
    # The first 35 go through every standing at every stage; the rest as a city's would fall.
    for index, spec in enumerate(generic):
        if index < len(STANDINGS) * len(STAGES):
            spec.standing, spec.stage = STANDINGS[index % len(STANDINGS)], STAGES[index % len(STAGES)]
        else:
            spec.standing = rng.choices(STANDINGS, weights=[10, 40, 25, 10, 15])[0]
            spec.stage = rng.choices(STAGES, weights=[20, 25, 15, 10, 8, 7, 15])[0]
        if spec.stage[0] == Status.NOT_STARTED and spec.standing in (Standing.ON_PLAN, Standing.FINISHED):
            # Nothing reported: it has not started, or it is behind.
            spec.standing = Standing.NOT_STARTED if spec.standing == Standing.ON_PLAN else Standing.BEHIND
        spec.over_budget = index % 15 == 4 and spec.stage[0] != Status.NOT_STARTED
        spec.without_budget = not spec.over_budget and index % 23 == 11
    return specs + generic


def _running_year(world, journal, fiscal_year, quarter, finished, rng, times_rng, now):
    """The running year: its open quarter at every stage and every standing, as of reference_day."""
    specs = _running_specs(world, fiscal_year, finished, rng)
    day = reference_day(fiscal_year, quarter)
    fy_start, fy_end = fiscal_year.quarter_period(1)[0], fiscal_year.quarter_period(4)[1]
    quarter_end = fiscal_year.quarter_period(quarter)[1]
    window = Quarter.objects.get(fiscal_year=fiscal_year, number=quarter)
    late_start = fiscal_year.quarter_period(3)[0]
    short_finish = min(fy_start + datetime.timedelta(days=30), day - datetime.timedelta(days=1))
    projects = []
    done_without_finish = False
    for spec in specs:
        target = spec.standing
        activities = spec.activities
        if target == Standing.FINISHED and len(activities) > 3:
            activities = activities[-3:]
        if target == Standing.NOT_STARTED:
            start, finish = late_start, fy_end
        elif target == Standing.FINISHED:
            start, finish = fy_start, fy_start + datetime.timedelta(days=75)
        elif target == Standing.OVERDUE and not activities:
            start, finish = fy_start, short_finish
        else:
            start, finish = fy_start + datetime.timedelta(days=rng.choice([0, 0, 15])), rng.choice(
                [fy_end, fy_end, fiscal_year.quarter_period(3)[1]])
        project = _project(world, fiscal_year, spec, start, finish)
        if activities:
            spans = _spans(start, finish, len(activities))
            if target == Standing.OVERDUE:
                spans[0] = (fy_start, short_finish)  # an activity past its finish, not complete
            _milestones(world, project, activities, spans)
        _registered(world, journal, project, fy_start - datetime.timedelta(days=rng.randint(5, 25)))
        planned = _planned(project, day)
        percents = []
        for index, m in enumerate(project._milestones):
            fraction = progress.planned_fraction(m.planned_start, m.planned_finish, day) or Decimal(0)
            if target == Standing.FINISHED or (m.planned_finish < day and target != Standing.OVERDUE):
                percent = HUNDRED
            elif target == Standing.NOT_STARTED:
                percent = Decimal(0)
            elif target == Standing.BEHIND:
                percent = _floor(fraction / 2)
            elif target == Standing.OVERDUE and index == 0:
                percent = Decimal(rng.randint(40, 90))
            else:  # on plan, or the other activities of an overdue project
                percent = min(HUNDRED, _ceil(fraction) + rng.randint(8, 20)) if fraction or index == 0 else Decimal(0)
            percents.append(percent)
        if percents:
            value = _weighted(project, percents)
        elif target == Standing.FINISHED:
            value = HUNDRED
        elif target == Standing.NOT_STARTED:
            value = Decimal(0)
        elif target == Standing.BEHIND:
            value = _floor((planned or 0) / 2)
        elif target == Standing.OVERDUE:
            value = Decimal(rng.randint(50, 90))
        else:
            value = min(HUNDRED - 1, _ceil(planned) + rng.randint(5, 20))
        if spec.typed_progress is not None:
            value = spec.typed_progress
        actual_finish = None
        if target == Standing.FINISHED:
            if done_without_finish or percents:
                actual_finish = min(fy_start + datetime.timedelta(days=rng.randint(24, 30)), day)
            done_without_finish = True  # one finished project still lacks its finish date (a warning)
        status = spec.stage[0]
        behind = progress.is_behind(value, planned) or progress.is_behind(value, _planned(project, quarter_end))
        allocated = project.budget_allocated
        disbursed = planned_disbursement = None
        problems = rng.choice(texts.PROBLEMS)
        if allocated is not None:
            planned_disbursement = _money(allocated * (_planned(project, quarter_end) or 0) / HUNDRED)
            disbursed = _money(allocated * value / HUNDRED * Decimal(str(rng.uniform(0.6, 1.0))))
            if spec.over_budget:
                disbursed = _money(allocated * Decimal(str(rng.uniform(1.02, 1.15))))
                problems = texts.OVER_BUDGET_PROBLEM
        score, reason = _score(value, planned)
        narrative = (texts.NOT_STARTED_NARRATIVE if target == Standing.NOT_STARTED
                     else _narrative(rng, project, percents, value))
        report = Report(quarter=quarter, stage=spec.stage, progress=value, percents=percents, disbursed=disbursed,
                        planned_disbursement=planned_disbursement, narrative=narrative, problems=problems,
                        delay_reason=rng.choice(texts.DELAY_REASONS) if behind else "", score=score,
                        score_reason=reason, returned_first=rng.random() < 0.15)
        update = _add_update(world, journal, project, report, window, times_rng, now, None, actual_finish)
        if status != Status.NOT_STARTED and target != Standing.NOT_STARTED:
            drafted = update._journal[1][0][0]
            journal.record(project, drafted, world.reporters.get(project.owner.pk), "บันทึกวันเริ่ม/สิ้นสุดจริง",
                           actual_start=start + datetime.timedelta(days=rng.randint(0, 5)),
                           actual_finish=actual_finish)
        projects.append(project)
    return projects


# --- entry points --------------------------------------------------------------------------------

def _batch(make) -> list:
    """Make projects, save them, then their history (which needs their keys)."""
    journal = Journal()
    projects = make(journal)
    _save(projects, journal)
    return projects


def add_projects(*, city_years=None, log=print) -> int:
    """The demo's projects, once: none when the database holds any project.
    `city_years`: (finished year, running year, its open quarter), or None
    for the seed's project only. Returns how many projects were made."""
    if Project.objects.exists():
        return 0
    made = _add_projects(city_years, log)
    # Written in bulk, past save(): the list's stored figures for today.
    standing.refresh(Project.objects.all(), timezone.localdate())
    return made


def _add_projects(city_years, log) -> int:
    world = World(random.Random("projects"))
    made = len(_batch(lambda journal: _seed_project(world, journal)))
    if city_years is None:
        return made
    finished_year, running_year, open_quarter = city_years
    years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in=[finished_year, running_year])}
    if len(years) < 2 or not Indicator.objects.filter(fiscal_year=years[finished_year]).exists():
        return made  # no city to put them in
    now = timezone.now()
    finished = _batch(lambda journal: _finished_year(
        world, journal, years[finished_year], random.Random(finished_year),
        random.Random(f"{finished_year}:project-times"), now))
    running = _batch(lambda journal: _running_year(
        world, journal, years[running_year], open_quarter, finished, random.Random(running_year),
        random.Random(f"{running_year}:project-times"), now))
    log(f"โครงการ: {len(finished)} โครงการปี {finished_year}, {len(running)} โครงการปี {running_year} "
        f"(ไตรมาสที่ {open_quarter} ณ วันที่ {reference_day(years[running_year], open_quarter):%Y-%m-%d})")
    return made + len(finished) + len(running)


def standing_on(project: Project, day: datetime.date) -> str:
    """Where a saved project stands on `day` by the rules (projects.progress),
    from its latest reported update; with `milestones`, `updates` and
    `updates__milestone_progress` prefetched it asks nothing more."""
    milestones = list(project.milestones.all())
    reported = [u for u in project.updates.all() if u.status != Status.NOT_STARTED]
    latest = max(reported, key=lambda u: u.quarter) if reported else None
    percents = {row.milestone_id: row.percent for row in latest.milestone_progress.all()} if latest else {}
    activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in milestones]
    return progress.standing(
        progress=latest.progress if latest else None,
        planned=progress.planned_progress(activities, project.planned_start, project.planned_finish, day),
        planned_finish=project.planned_finish, actual_finish=project.actual_finish,
        any_activity_overdue=any(progress.is_overdue(m.planned_finish, percents.get(m.pk), day) for m in milestones),
        day=day)
