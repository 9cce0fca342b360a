"""factory_boy factories for tests that need data beyond the seed."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, QuarterResult, StrategyNode
from projects.models import Milestone, Project, ProjectUpdate
from reports.models import Narrative


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]

    year = 2570


class DistrictGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictGroup

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")
    order = factory.Sequence(lambda n: n)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"สำนักทดสอบ {n}")
    short_name = factory.Sequence(lambda n: f"สท.{n}")


class StrategyNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyNode

    level = 1
    code = factory.Sequence(lambda n: f"{n + 10}")
    title = factory.Sequence(lambda n: f"ด้านทดสอบ {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    code = factory.Sequence(lambda n: f"T-{n:05d}")
    name = factory.Sequence(lambda n: f"ร้อยละความสำเร็จของการทดสอบระบบ {n}")
    owner = factory.SubFactory(AgencyFactory)
    unit = "ร้อยละ"
    annual_target = Decimal("80")
    category = "ตัวชี้วัดเชิงยุทธศาสตร์"
    result_chain_level = "ตัวชี้วัดระดับผลลัพธ์ (outcome)"


class QuarterResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterResult

    indicator = factory.SubFactory(IndicatorFactory)
    quarter = 1
    value = Decimal("50")


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    indicator = factory.SubFactory(IndicatorFactory)
    quarter = 1
    text = "รายงานผลการดำเนินงาน"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    owner = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"90{n:02d}-{n:04d}")
    name = factory.Sequence(lambda n: f"โครงการพัฒนาระบบทดสอบ {n}")
    responsible_name = "นางสาวทดสอบ ระบบดี"
    responsible_phone = "02 224 1234 ต่อ 1520"
    budget_allocated = Decimal("100000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"กิจกรรมที่ {n}")
    weight = Decimal("50")
    order = factory.Sequence(lambda n: n)


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory)
    quarter = 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-1234-word")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)
