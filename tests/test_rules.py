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


class TestQuarterJudgedByValueToDate:
    """A quarter is judged by the value achieved to date (the indicator's
    aggregation over quarters 1..n) against the target that applies to
    quarter n. Every expected figure below is worked out by hand."""

    def achievements(self, values, aggregation, annual, direction=rules.HIGHER_IS_BETTER, milestones=(None,) * 4):
        return [
            rules.quarter_achievement(values, n, aggregation, rules.applicable_target(annual, milestones[n - 1]),
                                      direction)
            for n in (1, 2, 3, 4)
        ]

    def test_value_to_date_per_aggregation(self):
        values = [D(10), D(20), D(30), D(25)]
        assert [rules.value_to_date(values, n, rules.SUM) for n in (1, 2, 3, 4)] == [D(10), D(30), D(60), D(85)]
        assert [rules.value_to_date(values, n, rules.AVERAGE) for n in (1, 2, 3, 4)] == [
            D(10), D(15), D(20), D("21.25")]
        assert [rules.value_to_date(values, n, rules.CUMULATIVE) for n in (1, 2, 3, 4)] == values
        assert [rules.value_to_date(values, n, rules.LATEST) for n in (1, 2, 3, 4)] == values

    def test_an_unreported_quarter_is_not_judged_on_earlier_figures(self):
        values = [D(10), D(20), None, None]
        for aggregation in (rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST):
            assert rules.value_to_date(values, 3, aggregation) is None
            assert rules.quarter_achievement(values, 3, aggregation, D(80)) is None

    def test_a_gap_before_quarter_n_counts_what_was_reported(self):
        values = [D(10), None, D(30), None]
        assert rules.value_to_date(values, 3, rules.SUM) == D(40)
        assert rules.value_to_date(values, 3, rules.AVERAGE) == D(20)  # (10 + 30) / 2 reported

    def test_sum_quarter_four_agrees_with_the_year(self):
        # The case: target 80, amounts 10, 20, 30, 25. The year has 85 >= 80.
        values = [D(10), D(20), D(30), D(25)]
        # Against the annual target: 10/80, 30/80, 60/80, 85/80 (capped).
        assert self.achievements(values, rules.SUM, D(80)) == [D("12.5"), D("37.5"), D(75), D(100)]
        assert rules.year_status(rules.achieved_value(values, rules.SUM), D(80), rules.HIGHER_IS_BETTER,
                                 True) == rules.MET

    def test_sum_with_milestones(self):
        # Milestones 20 / 40 / 60, quarter 4 the annual 80: 10/20, 30/40, 60/60, 85/80.
        values = [D(10), D(20), D(30), D(25)]
        got = self.achievements(values, rules.SUM, D(80), milestones=(D(20), D(40), D(60), None))
        assert got == [D(50), D(75), D(100), D(100)]

    def test_average_quarter_four_agrees_with_the_year(self):
        # The case: target 80, results 60, 70, 80, 90: averages 60, 65, 70, 75.
        values = [D(60), D(70), D(80), D(90)]
        assert self.achievements(values, rules.AVERAGE, D(80)) == [D(75), D("81.25"), D("87.5"), D("93.75")]
        assert rules.year_status(rules.achieved_value(values, rules.AVERAGE), D(80), rules.HIGHER_IS_BETTER,
                                 True) == rules.NOT_MET

    def test_cumulative_seed_unchanged(self):
        # 2100-1037: 20, 20, 70, 70 books against 6: every quarter 100.
        values = [D(20), D(20), D(70), D(70)]
        assert self.achievements(values, rules.CUMULATIVE, D(6)) == [D(100)] * 4

    def test_latest_takes_quarter_n_only(self):
        values = [D(10), D(5), D(8), D(2)]
        # target 8 a quarter: 10 -> 100, 5 -> 62.5, 8 -> 100, 2 -> 25
        assert self.achievements(values, rules.LATEST, D(8)) == [D(100), D("62.5"), D(100), D(25)]

    def test_lower_is_better_sum(self):
        # At most 40 complaints a year; 5, 10, 15, 20 reported: 5, 15, 30 are within 40, 50 is not (40/50).
        values = [D(5), D(10), D(15), D(20)]
        assert self.achievements(values, rules.SUM, D(40), rules.LOWER_IS_BETTER) == [
            D(100), D(100), D(100), D(80)]

    def test_lower_is_better_average_with_a_milestone(self):
        # Days to answer, at most 10 (quarter 3's milestone 12): 8, 12, 14, 6 -> averages 8, 10, 34/3, 10.
        values = [D(8), D(12), D(14), D(6)]
        got = self.achievements(values, rules.AVERAGE, D(10), rules.LOWER_IS_BETTER, (None, None, D(12), None))
        assert got[:2] == [D(100), D(100)]
        assert got[2].quantize(D("0.0001")) == D("100.0000")  # 11.33 within 12
        assert got[3] == D(100)
        got = self.achievements(values, rules.AVERAGE, D(10), rules.LOWER_IS_BETTER)
        assert got[2].quantize(D("0.0001")) == D("88.2353")  # 10 / (34/3) x 100

    def test_suggested_score_rounds_half_up_to_two_places(self):
        # 12.345 % -> 12.35 (not the banker's 12.34); 1/3 -> 33.33.
        assert rules.suggested_score([D("12.345")], 1, rules.CUMULATIVE, D(100)) == D("12.35")
        assert rules.suggested_score([D(1)], 1, rules.SUM, D(3)) == D("33.33")
        assert rules.suggested_score([D(10), D(20), D(30), D(25)], 4, rules.SUM, D(80)) == D("100.00")
        assert rules.suggested_score([None, None], 2, rules.SUM, D(80)) is None
