"""The five-level scheme and the weighted total, by hand-computed cases."""

from decimal import Decimal as D

from indicators import rules

UP = [D(60), D(70), D(80), D(90), D(100)]
DOWN = [D(20), D(15), D(10), D(5), D(0)]


class TestFiveLevelScore:
    def test_between_levels_is_interpolated(self):
        # 85 is half way from level 3 (80) to level 4 (90): 3 + 5/10.
        assert rules.five_level_score(D(85), UP) == D("3.5000")

    def test_lower_is_better(self):
        # 12 is 3/5 of the way from level 2 (15) to level 3 (10): 2 + 3/5.
        assert rules.five_level_score(D(12), DOWN, rules.LOWER_IS_BETTER) == D("2.6000")

    def test_exactly_on_a_level(self):
        assert rules.five_level_score(D(70), UP) == D("2.0000")
        assert rules.five_level_score(D(60), UP) == D("1.0000")
        assert rules.five_level_score(D(10), DOWN, rules.LOWER_IS_BETTER) == D("3.0000")

    def test_four_decimals_half_up(self):
        # 2 + 1/3 = 2.33333… → 2.3333; 1 + 2/3 = 1.6666… → 1.6667.
        assert rules.five_level_score(D(1), [D(0), D(3), D(6), D(9), D(12)]) == D("1.3333")
        assert rules.five_level_score(D(2), [D(0), D(3), D(6), D(9), D(12)]) == D("1.6667")
        # 1 + 0.00005 would be 1.00005 exactly: half up gives 1.0001.
        assert rules.five_level_score(D("0.0001"), [D(0), D(2), D(4), D(6), D(8)]) == D("1.0001")

    def test_below_level_one_follows_the_year_setting(self):
        assert rules.five_level_score(D(59), UP) == D("0.0000")
        assert rules.five_level_score(D(59), UP, below_level_one=1) == D("1.0000")
        assert rules.five_level_score(D(21), DOWN, rules.LOWER_IS_BETTER, below_level_one=1) == D("1.0000")

    def test_at_or_past_level_five_is_five(self):
        assert rules.five_level_score(D(100), UP) == D("5.0000")
        assert rules.five_level_score(D(170), UP) == D("5.0000")
        assert rules.five_level_score(D(-3), DOWN, rules.LOWER_IS_BETTER) == D("5.0000")

    def test_equal_thresholds(self):
        # Levels 2 and 3 share 70: reaching 70 reaches level 3, and 75 is half
        # way from level 3 (70) to level 4 (80).
        same = [D(60), D(70), D(70), D(80), D(90)]
        assert rules.five_level_score(D(70), same) == D("3.0000")
        assert rules.five_level_score(D(75), same) == D("3.5000")
        assert rules.five_level_score(D(65), same) == D("1.5000")
        # All five equal: below is the year's floor, at or above is 5.
        flat = [D(50)] * 5
        assert rules.five_level_score(D(49), flat) == D("0.0000")
        assert rules.five_level_score(D(50), flat) == D("5.0000")

    def test_pending_is_none_never_zero(self):
        assert rules.five_level_score(None, UP) is None

    def test_no_or_unusable_criteria_is_none(self):
        assert rules.five_level_score(D(85), [None] * 5) is None
        assert rules.five_level_score(D(85), list(reversed(UP))) is None


class TestCriteriaProblems:
    def test_none_given_is_fine(self):
        assert rules.criteria_problems([None] * 5, rules.HIGHER_IS_BETTER) == []

    def test_ascending_and_descending(self):
        assert rules.criteria_problems(UP, rules.HIGHER_IS_BETTER) == []
        assert rules.criteria_problems(DOWN, rules.LOWER_IS_BETTER) == []
        assert rules.criteria_problems(DOWN, rules.HIGHER_IS_BETTER) == ["not_ascending"]
        assert rules.criteria_problems(UP, rules.LOWER_IS_BETTER) == ["not_descending"]

    def test_gaps_are_refused(self):
        assert rules.criteria_problems([D(60), D(70), None, D(90), D(100)], rules.HIGHER_IS_BETTER) == ["incomplete"]

    def test_equal_neighbours_allowed(self):
        assert rules.criteria_problems([D(1), D(1), D(2), D(2), D(3)], rules.HIGHER_IS_BETTER) == []


class TestWeightedTotal:
    def test_weights_summing_to_100(self):
        # (40×100 + 35×50 + 25×80) / 100 = (4000 + 1750 + 2000) / 100 = 77.5
        assert rules.weighted_total([(D(40), D(100)), (D(35), D(50)), (D(25), D(80))]) == D("77.5000")

    def test_five_level_scores(self):
        # (50×3.5 + 30×2.6 + 20×5) / 100 = (175 + 78 + 100) / 100 = 3.53
        assert rules.weighted_total([(D(50), D("3.5")), (D(30), D("2.6")), (D(20), D(5))]) == D("3.5300")

    def test_pending_is_left_out_not_counted_as_zero(self):
        # Only the 60-weight score counts: 60×90 / 60 = 90, not 60×90/100 = 54.
        assert rules.weighted_total([(D(60), D(90)), (D(40), None)]) == D("90.0000")

    def test_weights_not_summing_to_100_are_normalised(self):
        assert rules.weighted_total([(D(1), D(4)), (D(2), D(1))]) == D("2.0000")

    def test_nothing_scored_is_none(self):
        assert rules.weighted_total([(D(60), None)]) is None
        assert rules.weighted_total([]) is None
        assert rules.weighted_total([(D(0), D(3))]) is None
