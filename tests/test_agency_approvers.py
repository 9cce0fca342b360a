"""The agency approver (issue 24): the role follows the AgencyApprover and
ApproverStandIn rows; an approver reads and signs off only their agencies,
a stand-in only within their dates."""

import datetime

import pytest
from django.utils import timezone

from indicators import permissions
from indicators.models import AgencyApprover, ApproverStandIn

from .factories import AgencyFactory, IndicatorFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no cached roles or agencies


def test_an_approver_signs_off_and_reads_only_their_agencies(make_user):
    ours, theirs = AgencyFactory(), AgencyFactory()
    approver = make_user()
    assert not permissions.is_approver(fresh(approver))
    AgencyApprover.objects.create(agency=ours, user=approver)
    approver = fresh(approver)
    assert permissions.has_role(approver, permissions.APPROVER)
    assert permissions.can_approve(approver, ours.pk) and not permissions.can_approve(approver, theirs.pk)
    assert permissions.visible_agencies(approver) == {ours.pk}
    assert permissions.can_view_indicator(approver, IndicatorFactory(owner=ours))
    assert not permissions.can_view_indicator(approver, IndicatorFactory(owner=theirs))
    assert not permissions.can_report_on(approver, IndicatorFactory(owner=ours))  # approving is not reporting
    AgencyApprover.objects.filter(user=approver).delete()
    assert not permissions.has_role(fresh(approver), permissions.APPROVER)


def test_a_stand_in_approves_only_within_their_dates(make_user):
    agency = AgencyFactory()
    approver, stand_in = make_user(), make_user()
    AgencyApprover.objects.create(agency=agency, user=approver)
    ApproverStandIn.objects.create(approver=approver, stand_in=stand_in, starts_on=TODAY,
                                   ends_on=TODAY + datetime.timedelta(days=6))
    stand_in = fresh(stand_in)
    assert permissions.can_approve(stand_in, agency.pk)
    assert agency.pk not in permissions.approver_agency_ids(stand_in, TODAY + datetime.timedelta(days=7))
    assert agency.pk not in permissions.approver_agency_ids(stand_in, TODAY - datetime.timedelta(days=1))
