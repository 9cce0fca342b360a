from decimal import Decimal as D

import pytest

from indicators import rules


class TestAchievedValue:
    def test_seed_cumulative_is_latest_reported(self):
        assert rules.achieved_value([D(20), D(20), D(70), D(70)], rules.CUMULATIVE) == D(70)

    def test_cumulative_with_missing_later_quarters(self):
        assert rules.achieved_value([D(20), D(35), None, None], rules.CUMULATIVE) == D(35)

    def test_sum(self):
        assert rules.achieved_value([D(1), D(2), None, D(4)], rules.SUM) == D(7)

    def test_average_ignores_unreported_quarters(self):
        assert rules.achieved_value([D(10), D(20), None, None], rules.AVERAGE) == D(15)

    def test_latest(self):
        assert rules.achieved_value([D(10), D(5), D(8), None], rules.LATEST) == D(8)

    @pytest.mark.parametrize("aggregation", [rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST])
    def test_nothing_reported_is_none_not_zero(self, aggregation):
        assert rules.achieved_value([None, None, None, None], aggregation) is None

    def test_decimals_are_kept(self):
        assert rules.achieved_value([D("1.25"), D("2.50")], rules.SUM) == D("3.75")

    def test_unknown_aggregation_raises(self):
        with pytest.raises(ValueError):
            rules.achieved_value([D(1)], "median")


class TestApplicableTarget:
    def test_annual_target_when_no_milestone(self):
        assert rules.applicable_target(D(6), None) == D(6)

    def test_milestone_wins(self):
        assert rules.applicable_target(D(6), D(2)) == D(2)

    def test_zero_milestone_is_a_milestone(self):
        assert rules.applicable_target(D(6), D(0)) == D(0)


class TestAchievementPercent:
    def test_seed_quarters_are_capped_at_100(self):
        assert rules.achievement_percent(D(20), D(6)) == D(100)
        assert rules.achievement_percent(D(70), D(6)) == D(100)

    def test_partial(self):
        assert rules.achievement_percent(D(3), D(6)) == D(50)

    def test_decimal_ratio(self):
        assert rules.achievement_percent(D(1), D(3)).quantize(D("0.01")) == D("33.33")

    def test_zero_target_higher_is_better(self):
        assert rules.achievement_percent(D(0), D(0)) == D(100)
        assert rules.achievement_percent(D(5), D(0)) == D(100)

    def test_lower_is_better_inverts(self):
        assert rules.achievement_percent(D(20), D(10), rules.LOWER_IS_BETTER) == D(50)
        assert rules.achievement_percent(D(5), D(10), rules.LOWER_IS_BETTER) == D(100)

    def test_lower_is_better_zero_result_and_zero_target(self):
        assert rules.achievement_percent(D(0), D(10), rules.LOWER_IS_BETTER) == D(100)
        assert rules.achievement_percent(D(0), D(0), rules.LOWER_IS_BETTER) == D(100)
        assert rules.achievement_percent(D(3), D(0), rules.LOWER_IS_BETTER) == D(0)

    def test_missing_result_or_target(self):
        assert rules.achievement_percent(None, D(6)) is None
        assert rules.achievement_percent(D(6), None) is None

    def test_never_negative(self):
        assert rules.achievement_percent(D(-5), D(10)) == D(0)


class TestYearStatus:
    def test_seed_is_pending_until_q4_evaluated(self):
        assert rules.year_status(D(70), D(6), rules.HIGHER_IS_BETTER, False) == rules.PENDING

    def test_met_after_evaluation(self):
        assert rules.year_status(D(70), D(6), rules.HIGHER_IS_BETTER, True) == rules.MET

    def test_not_met(self):
        assert rules.year_status(D(5), D(6), rules.HIGHER_IS_BETTER, True) == rules.NOT_MET

    def test_lower_is_better(self):
        assert rules.year_status(D(12), D(10), rules.LOWER_IS_BETTER, True) == rules.NOT_MET
        assert rules.year_status(D(8), D(10), rules.LOWER_IS_BETTER, True) == rules.MET

    def test_nothing_reported_stays_pending(self):
        assert rules.year_status(None, D(6), rules.HIGHER_IS_BETTER, True) == rules.PENDING
