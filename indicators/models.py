"""The indicator and what it hangs on: fiscal years and their quarters,
agencies and district groups, the strategy plan, and each quarter's target,
result and scores. Computations live in rules.py; these models hold data."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import rules
from .codes import validate_indicator_code
from .criteria import FIELD_NAMES as CRITERIA_FIELDS
from .criteria import validate_criteria

QUARTERS = (1, 2, 3, 4)
# Quarter 4 is also the annual evaluation, scored by the evaluator.
FINAL_QUARTER = 4
QUARTER_CHOICES = [(q, _("ไตรมาสที่ %(n)s") % {"n": q}) for q in QUARTERS]

# Stored statuses (stored_status.py): "not_reported" is
# selectors/browse.NOT_REPORTED, the status of an indicator with no result.
STATUS_NOT_REPORTED = "not_reported"
STORED_STATUS_FIELDS = ("status_q1", "status_q2", "status_q3", "status_q4", "achieved", "achievement",
                        "public_status_q1", "public_status_q2", "public_status_q3", "public_status_q4")

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def reporting_quarter(fiscal_year: models.Expression, today: datetime.date) -> models.Expression:
    """The quarter a fiscal year's pages open at, as SQL on the fiscal year
    `fiscal_year` names (OuterRef of its id): the latest quarter whose
    reporting window has opened by `today` (a quarter without a window
    counts as opened); quarter 1 while none has opened; quarter 4 (the
    year) for a year without quarters. So a finished year opens at its
    year's status and a year in progress at the quarter being reported."""
    quarters = Quarter.objects.filter(fiscal_year=fiscal_year).order_by()
    opened = quarters.filter(models.Q(opens_on__isnull=True) | models.Q(opens_on__lte=today))
    return Coalesce(
        models.Subquery(opened.order_by("-number").values("number")[:1]),
        models.Case(models.When(models.Exists(quarters), then=models.Value(1)), default=models.Value(FINAL_QUARTER)),
        output_field=models.IntegerField(),
    )


def quarter_is_due(quarter_number: int, current_quarter: int | None) -> bool:
    """Whether a quarter's window has opened, given the year's
    reporting_quarter (None: unknown, every quarter counts as due)."""
    return current_quarter is None or quarter_number <= current_quarter


class FiscalYearQuerySet(models.QuerySet):
    def with_reporting_quarter(self, today: datetime.date) -> "FiscalYearQuerySet":
        """Annotated with `reporting_quarter` (see reporting_quarter), in
        the same query."""
        return self.annotate(reporting_quarter=reporting_quarter(models.OuterRef("pk"), today))


class FiscalYear(models.Model):
    """A Thai government fiscal year, named by its Buddhist Era year.
    FY 2563 runs from 1 Oct 2019 to 30 Sep 2020."""

    class Scheme(models.TextChoices):
        PERCENT = rules.PERCENT_SCHEME, _("ร้อยละความสำเร็จ (คะแนน 2.1 / 2.2)")
        FIVE_LEVEL = rules.FIVE_LEVEL_SCHEME, _("เกณฑ์การให้คะแนน 5 ระดับ")

    class BelowLevelOne(models.IntegerChoices):
        ZERO = 0, _("ได้ 0 คะแนน")
        ONE = 1, _("ได้ 1 คะแนน")

    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    # How the year's scorecards total their indicators (README, "Scorecards").
    scoring_scheme = models.CharField(
        _("วิธีคิดคะแนนของปี"), max_length=20, choices=Scheme.choices, default=Scheme.PERCENT
    )
    below_level_one_score = models.PositiveSmallIntegerField(
        _("ผลต่ำกว่าเกณฑ์ระดับ 1"), choices=BelowLevelOne.choices, default=BelowLevelOne.ZERO
    )
    # The public site, open data and anonymous API show a year only once an
    # administrator publishes it (README, "Public site"); new years start unpublished.
    published = models.BooleanField(
        _("เผยแพร่ต่อสาธารณะ"), default=False,
        help_text=_("แสดงตัวชี้วัดของปีนี้บนเว็บไซต์สาธารณะ ข้อมูลเปิด และ API โดยไม่ต้องเข้าสู่ระบบ "
                    "(เฉพาะผลที่ผู้ตรวจประเมินตรวจรับแล้ว)"),
    )

    # Agency sign-off (issue 24): a submitted quarter waits for its agency's
    # approver (AgencyApprover) before it reaches the evaluators' queue.
    agency_signoff = models.BooleanField(
        _("ต้องผ่านการอนุมัติของหน่วยงานก่อนส่ง สยป."), default=False,
        help_text=_("เมื่อเปิด ผลที่ส่งแล้วจะรอผู้อนุมัติของหน่วยงานอนุมัติก่อน จึงเข้าสู่การตรวจของ สยป."),
    )

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("ปีงบประมาณ")
        verbose_name_plural = _("ปีงบประมาณ")

    def __str__(self):
        return str(self.year)

    @property
    def starts_on(self):
        return datetime.date(self.year - 543 - 1, 10, 1)

    @property
    def ends_on(self):
        return datetime.date(self.year - 543, 9, 30)

    def quarter_period(self, number):
        """First and last calendar day of quarter 1..4 (Q1 = Oct-Dec)."""
        start_month = 10 + (number - 1) * 3
        year = self.year - 543 - 1
        if start_month > 12:
            start_month -= 12
            year += 1
        start = datetime.date(year, start_month, 1)
        end_month = start_month + 2
        next_month_start = (
            datetime.date(year + 1, 1, 1) if end_month == 12 else datetime.date(year, end_month + 1, 1)
        )
        return start, next_month_start - datetime.timedelta(days=1)


class Quarter(models.Model):
    """A quarter of a fiscal year and its reporting window."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("ปีงบประมาณ"), on_delete=models.CASCADE, related_name="quarters"
    )
    number = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    opens_on = models.DateField(_("เปิดรายงาน"), null=True, blank=True)
    closes_on = models.DateField(_("ปิดรายงาน"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year__year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="unique_quarter_per_year"),
        ]
        verbose_name = _("ไตรมาส")
        verbose_name_plural = _("ไตรมาส")

    def __str__(self):
        return f"{self.fiscal_year.year} Q{self.number}"

    def is_open_on(self, day):
        if self.opens_on is None or self.closes_on is None:
            return False
        return self.opens_on <= day <= self.closes_on


class DistrictGroup(models.Model):
    """One of the six district-office groups of BMA order 2460/2552."""

    code = models.SlugField(_("รหัส"), unique=True)
    name = models.CharField(_("ชื่อกลุ่ม"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("กลุ่มการปฏิบัติงานของสำนักงานเขต")
        verbose_name_plural = _("กลุ่มการปฏิบัติงานของสำนักงานเขต")

    def __str__(self):
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("สำนัก/หน่วยงาน")
        DISTRICT_OFFICE = "district_office", _("สำนักงานเขต")

    code = models.CharField(_("รหัส"), max_length=20, unique=True)
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=300)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=50, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    district_group = models.ForeignKey(
        DistrictGroup,
        verbose_name=_("กลุ่มเขต"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("เจ้าหน้าที่"), blank=True, related_name="agencies"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")

    def __str__(self):
        return self.short_name or self.name


class StrategyNode(models.Model):
    """A node of the four-level strategy plan. Codes are stored with ordinary
    digits ("5.2.1.1") and shown with Thai digits where the page wants them."""

    class Level(models.IntegerChoices):
        DIMENSION = 1, _("ด้าน")
        SUB_DIMENSION = 2, _("มิติ")
        GOAL = 3, pgettext_lazy("strategy plan level", "เป้าหมาย")  # "target" elsewhere
        OBJECTIVE = 4, _("เป้าประสงค์")

    level = models.PositiveSmallIntegerField(_("ระดับ"), choices=Level.choices)
    code = models.CharField(_("รหัส"), max_length=20, unique=True)
    title = models.TextField(_("ชื่อ"))
    parent = models.ForeignKey(
        "self", verbose_name=_("ระดับบน"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("แผนยุทธศาสตร์")
        verbose_name_plural = _("แผนยุทธศาสตร์")

    def __str__(self):
        return f"{self.numbered_label()} {self.title}"

    def numbered_label(self, thai_digits=False):
        """E.g. "ด้านที่ 5", or "ด้านที่ ๕" as the old site printed strategy codes."""
        from .text import to_thai_digits

        code = to_thai_digits(self.code) if thai_digits else self.code
        return _("%(level)sที่ %(code)s") % {"level": self.get_level_display(), "code": code}

    @property
    def thai_numbered_label(self):
        return self.numbered_label(thai_digits=True)

    @property
    def title_separator(self):
        """The seed writes "ด้านที่ ๕ - title" for the two upper levels and
        "เป้าหมายที่ ๕.๒.๑ title" for the two lower ones."""
        return " - " if self.level <= self.Level.SUB_DIMENSION else " "

    @classmethod
    def tree(cls) -> dict[int, tuple[int | None, str]]:
        """{node id: (parent id, code)} for the whole plan: a few hundred
        rows, read once so that the queries over indicators need not join
        the node table once per level."""
        return {pk: (parent_id, code) for pk, parent_id, code in cls.objects.values_list("pk", "parent_id", "code")}

    @classmethod
    def dimensions(cls, tree: dict[int, tuple[int | None, str]]) -> dict[int, list[int]]:
        """{dimension id: ids of the nodes under it, itself included}."""
        return {pk: cls.subtree(tree, pk) for pk, (parent_id, _code) in tree.items() if parent_id is None}

    @staticmethod
    def subtree(tree: dict[int, tuple[int | None, str]], root: int) -> list[int]:
        """Ids of `root` and every node below it, at any depth."""
        children: dict[int | None, list[int]] = {}
        for pk, (parent_id, _code) in tree.items():
            children.setdefault(parent_id, []).append(pk)
        found, todo = [], [root]
        while todo:
            pk = todo.pop()
            found.append(pk)
            todo.extend(children.get(pk, []))
        return found

    def chain(self):
        """This node and its ancestors, top level first. Uses parents already
        loaded (select_related) so it adds no queries on the detail page."""
        nodes = []
        node = self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return list(reversed(nodes))


class IndicatorQuerySet(models.QuerySet):
    """Which indicators: each read rule written once, for the list, table,
    dashboard, book and exports alike."""

    def under_node(self, node: "StrategyNode") -> "IndicatorQuerySet":
        """Those supporting `node` or a node below it, at any depth; each once.
        The nodes below are found in the small plan table first; the link
        table is then probed per indicator (EXISTS on its unique index), so
        a narrow list (one agency) reads only its own indicators' links."""
        nodes = StrategyNode.subtree(StrategyNode.tree(), node.pk)
        links = Indicator.strategy_nodes.through.objects.filter(
            indicator_id=models.OuterRef("pk"), strategynode_id__in=nodes)
        return self.filter(models.Exists(links))

    def public(self) -> "IndicatorQuerySet":
        """Those anyone may see without signing in: of a published fiscal
        year and not withheld as sensitive (indicators/public.py says what
        of them is shown: evaluator-accepted results only)."""
        return self.filter(fiscal_year__published=True, public_hidden=False)

    def with_status(self, quarter: int = FINAL_QUARTER, name: str = "status",
                    public: bool = False) -> "IndicatorQuerySet":
        """Annotated with the status at `quarter`, for filtering and counting:
        the stored status (stored_status.py: the rules' answer kept on the
        row), or with `public` the stored status as the public sees it
        (public.status_at: from accepted quarters only)."""
        prefix = "public_status_q" if public else "status_q"
        return self.annotate(**{name: models.F(f"{prefix}{quarter}")})


class Indicator(models.Model):
    class Aggregation(models.TextChoices):
        # The values are the rules' own names (rules.py), labelled for people.
        CUMULATIVE = rules.CUMULATIVE, _("ผลสะสม (ค่าล่าสุดที่รายงาน)")
        SUM = rules.SUM, _("ผลรวมรายไตรมาส")
        AVERAGE = rules.AVERAGE, _("ค่าเฉลี่ยรายไตรมาส")
        LATEST = rules.LATEST, _("ค่าล่าสุด")

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = rules.HIGHER_IS_BETTER, _("ยิ่งมากยิ่งดี")
        LOWER_IS_BETTER = rules.LOWER_IS_BETTER, _("ยิ่งน้อยยิ่งดี")

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("ปีงบประมาณ"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("รหัสตัวชี้วัด"), max_length=30, validators=[validate_indicator_code])
    name = models.TextField(_("ชื่อตัวชี้วัด"))
    owner = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงานเจ้าของตัวชี้วัด"), on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(_("หน่วยนับ"), max_length=100)
    # Empty only in a year started from the last one without its targets
    # (rollover), until the agency's targets are imported or typed.
    annual_target = models.DecimalField(_("ค่าเป้าหมาย"), max_digits=20, decimal_places=4, null=True, blank=True)
    category = models.CharField(_("ประเภทตัวชี้วัด"), max_length=200)
    result_chain_level = models.CharField(_("ระดับของตัวชี้วัด"), max_length=200, blank=True)
    weight = models.DecimalField(_("น้ำหนัก"), max_digits=7, decimal_places=2, default=0)
    definition = models.TextField(_("นิยาม หรือความหมายของตัวชี้วัด"), blank=True)
    calculation_method = models.TextField(_("วิธีการคำนวณ หรือ เกณฑ์การประเมิน"), blank=True)
    data_sources = models.TextField(_("วิธีการการเก็บข้อมูล/แหล่งข้อมูล"), blank=True)
    operations_summary = models.TextField(_("สรุปผลการดำเนินงาน"), blank=True)
    supporting_projects = models.TextField(_("โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด"), blank=True)
    strategy_nodes = models.ManyToManyField(
        StrategyNode, verbose_name=_("สนับสนุนยุทธศาสตร์กรุงเทพมหานคร"), blank=True, related_name="indicators"
    )
    aggregation = models.CharField(
        _("วิธีรวมผลรายไตรมาส"), max_length=20, choices=Aggregation.choices, default=Aggregation.CUMULATIVE
    )
    direction = models.CharField(
        _("ทิศทาง"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("จำนวนตำแหน่งทศนิยม"), default=0, validators=[MaxValueValidator(4)]
    )
    allows_negative = models.BooleanField(_("รับค่าติดลบได้"), default=False)
    reports_by_district_group = models.BooleanField(_("รายงานแยกตามกลุ่มเขต"), default=False)
    # เกณฑ์การให้คะแนน: the result that earns each level, in the indicator's
    # unit; all five or none (criteria.validate_criteria).
    criteria_level_1 = models.DecimalField(_("เกณฑ์ระดับ 1"), max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_level_2 = models.DecimalField(_("เกณฑ์ระดับ 2"), max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_level_3 = models.DecimalField(_("เกณฑ์ระดับ 3"), max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_level_4 = models.DecimalField(_("เกณฑ์ระดับ 4"), max_digits=20, decimal_places=4, null=True, blank=True)
    criteria_level_5 = models.DecimalField(_("เกณฑ์ระดับ 5"), max_digits=20, decimal_places=4, null=True, blank=True)
    # A sensitive indicator stays off the public site, open data and
    # anonymous API even when its year is published.
    public_hidden = models.BooleanField(
        _("ไม่เผยแพร่ต่อสาธารณะ (ข้อมูลอ่อนไหว)"), default=False,
        help_text=_("ซ่อนตัวชี้วัดนี้จากเว็บไซต์สาธารณะ ข้อมูลเปิด และ API สำหรับผู้ไม่ได้เข้าสู่ระบบ"),
    )
    # Bumped by every change to what the indicator's page shows
    # (reports/sheet_cache.py), so a cached page is never served after a change.
    sheet_version = models.PositiveIntegerField(default=0, editable=False)
    # What rules.py says of the current results, stored by stored_status.refresh
    # in the transaction of every write they depend on, so that filtering and
    # counting a year by status is an indexed read (status_q4: the year).
    status_q1 = models.CharField(max_length=12, default=STATUS_NOT_REPORTED, editable=False)
    status_q2 = models.CharField(max_length=12, default=STATUS_NOT_REPORTED, editable=False)
    status_q3 = models.CharField(max_length=12, default=STATUS_NOT_REPORTED, editable=False)
    status_q4 = models.CharField(max_length=12, default=STATUS_NOT_REPORTED, editable=False)
    achieved = models.DecimalField(max_digits=24, decimal_places=4, null=True, editable=False)
    # The achieved value against the annual target (rules.achievement_percent),
    # for sorting the list by achievement.
    achievement = models.DecimalField(max_digits=7, decimal_places=4, null=True, editable=False)
    # The same as the public sees it (public.status_at: accepted quarters
    # only; met, not met or pending), stored by the same refresh.
    public_status_q1 = models.CharField(max_length=12, default=rules.PENDING, editable=False)
    public_status_q2 = models.CharField(max_length=12, default=rules.PENDING, editable=False)
    public_status_q3 = models.CharField(max_length=12, default=rules.PENDING, editable=False)
    public_status_q4 = models.CharField(max_length=12, default=rules.PENDING, editable=False)

    history = HistoricalRecords(excluded_fields=["sheet_version", *STORED_STATUS_FIELDS])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year__year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_indicator_code_per_year"),
            # An empty code could not be part of a URL at all.
            models.CheckConstraint(condition=~models.Q(code=""), name="indicator_code_not_empty"),
        ]
        indexes = [
            # A year's data version (public/selectors.data_version, the
            # ranking's cache key) read from the index alone: a few ms for
            # 25,000 indicators instead of a scan of the wide table.
            models.Index(fields=["fiscal_year", "id", "sheet_version", "public_hidden"],
                         name="indicator_year_versions"),
        ]
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is None:
            return super().save(*args, **kwargs)
        # Its own fields are on its page. Counted in the database, so a copy
        # loaded before another change cannot bring back an old version.
        self.sheet_version = models.F("sheet_version") + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sheet_version"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["sheet_version"])

    def get_absolute_url(self):
        return reverse("indicators:detail", args=[self.fiscal_year.year, self.code])

    @property
    def criteria(self) -> list[Decimal | None]:
        """The thresholds of levels 1..5 (None where not set)."""
        return [getattr(self, name) for name in CRITERIA_FIELDS]

    @property
    def has_criteria(self) -> bool:
        return all(value is not None for value in self.criteria)

    def clean(self):
        super().clean()
        validate_criteria(self.criteria, self.direction)


class DataSourceItem(models.Model):
    """One item of an indicator's data sources (วิธีการการเก็บข้อมูล/
    แหล่งข้อมูล): a line of its evidence checklist. Kept in step with
    Indicator.data_sources by data_sources.sync_items."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("ตัวชี้วัด"), on_delete=models.CASCADE, related_name="data_source_items"
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    text = models.TextField(_("หลักฐาน/แหล่งข้อมูล"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "order", "id"]
        verbose_name = _("รายการหลักฐานตามแหล่งข้อมูล")
        verbose_name_plural = _("รายการหลักฐานตามแหล่งข้อมูล")

    def __str__(self):
        return f"{self.order}. {self.text}"


class QuarterResult(models.Model):
    """One quarter of one indicator: its optional milestone target, the
    reported result, the two scores and where it stands in the workflow.

    A missing score is None, never 0: "not evaluated" and "scored 0" differ."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        DRAFT = "draft", _("ฉบับร่าง")
        # With the year's agency_signoff: submitted, waiting for the agency's approver.
        AWAITING_APPROVAL = "awaiting_approval", _("รอหน่วยงานอนุมัติ")
        SUBMITTED = "submitted", _("ส่งแล้ว รอตรวจ")
        RETURNED = "returned", _("ส่งกลับแก้ไข")
        ACCEPTED = "accepted", _("ตรวจรับแล้ว")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="quarter_results")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    target = models.DecimalField(
        _("ค่าเป้าหมายรายไตรมาส"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("เว้นว่างเพื่อใช้ค่าเป้าหมายทั้งปี"),
    )
    value = models.DecimalField(_("ผลงาน"), max_digits=20, decimal_places=4, null=True, blank=True)
    score_self = models.DecimalField(
        _("คะแนน 2.1"), max_digits=7, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    score_confirmed = models.DecimalField(
        _("คะแนน 2.2"), max_digits=7, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # The evaluator's latest comment when returning, or reason when reopening
    # or when score 2.2 differs from 2.1; the full trail is in the history.
    reviewer_comment = models.TextField(_("ความเห็นผู้ตรวจประเมิน"), blank=True)
    score_reason = models.TextField(_("เหตุผลที่คะแนน 2.2 ต่างจาก 2.1"), blank=True)
    # An administrator may reopen one indicator's quarter after its window closed.
    reopened_until = models.DateField(_("เปิดให้แก้ไขเป็นกรณีพิเศษถึง"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The plausibility checks (plausibility.py) the saved result raised, by
    # code, and whether the reporter confirmed it anyway; kept in the history.
    plausibility_flags = models.JSONField(_("ข้อสังเกตความสมเหตุสมผลของผลงาน"), default=list, blank=True)
    plausibility_confirmed = models.BooleanField(_("ผู้รายงานยืนยันว่าผลงานถูกต้อง"), default=False)
    # Optimistic concurrency: every save bumps it; a save based on an older
    # version is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="unique_result_per_quarter"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="result_status_submitted")]
        verbose_name = _("ผลรายไตรมาส")
        verbose_name_plural = _("ผลรายไตรมาส")

    def __str__(self):
        return f"{self.indicator.code} Q{self.quarter}"

    @property
    def is_locked(self):
        """Accepted quarters are locked for reporters until an evaluator reopens them."""
        return self.status == self.Status.ACCEPTED


class AgencyApprover(models.Model):
    """The agency approver (ผู้อนุมัติของหน่วยงาน): signs off the agency's
    submitted quarters before the evaluators see them, when the year asks
    for it (FiscalYear.agency_signoff). An agency may have several."""

    agency = models.ForeignKey(Agency, verbose_name=_("หน่วยงาน"), on_delete=models.CASCADE, related_name="approvers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้อนุมัติ"), on_delete=models.CASCADE,
                             related_name="approver_of")

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "user"], name="unique_agency_approver")]
        verbose_name = _("ผู้อนุมัติของหน่วยงาน")
        verbose_name_plural = _("ผู้อนุมัติของหน่วยงาน")

    def __str__(self):
        return f"{self.user} · {self.agency}"


class ApproverStandIn(models.Model):
    """An approver's stand-in for a date range: approves for every agency of
    the approver while it lasts."""

    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้อนุมัติ"), on_delete=models.CASCADE,
                                 related_name="stand_ins")
    stand_in = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้ปฏิบัติหน้าที่แทน"),
                                 on_delete=models.CASCADE, related_name="standing_in_for")
    starts_on = models.DateField(_("ตั้งแต่วันที่"))
    ends_on = models.DateField(_("ถึงวันที่"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("ผู้ปฏิบัติหน้าที่แทนผู้อนุมัติ")
        verbose_name_plural = _("ผู้ปฏิบัติหน้าที่แทนผู้อนุมัติ")

    def __str__(self):
        return f"{self.stand_in} → {self.approver} ({self.starts_on}–{self.ends_on})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม")})
        if self.approver_id and self.approver_id == self.stand_in_id:
            raise ValidationError({"stand_in": _("ผู้ปฏิบัติหน้าที่แทนต้องไม่ใช่ผู้อนุมัติเอง")})


class StatusCount(models.Model):
    """How many of one agency's indicators of one category in a fiscal year
    have each status at one quarter: over all of them once each
    (per_dimension False, dimension unset), or over those supporting one
    strategy dimension (per_dimension True; dimension unset: those supporting
    none). Derived, like the stored statuses: status_counts.rebuild writes
    them in the transaction of every write they depend on, so that the
    dashboard, the table's group headers and the category choices read one
    row per agency, category and dimension instead of every indicator."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=200)
    per_dimension = models.BooleanField()
    dimension = models.ForeignKey(StrategyNode, on_delete=models.CASCADE, null=True, related_name="+")
    quarter = models.PositiveSmallIntegerField()
    met = models.PositiveIntegerField(default=0)
    not_met = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    not_reported = models.PositiveIntegerField(default=0)
    # The public statuses of those not withheld from the public
    # (public_hidden False): what the public dashboard shows.
    public_met = models.PositiveIntegerField(default=0)
    public_not_met = models.PositiveIntegerField(default=0)
    public_pending = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["fiscal_year", "quarter", "per_dimension"], name="status_count_year")]

    def __str__(self):
        return f"{self.fiscal_year_id}/{self.agency_id}/{self.category}/Q{self.quarter}"
