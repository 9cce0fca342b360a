"""The review by สยป. and the scoring: the evaluator's queue and actions on a
submitted quarter (accept, score quarter 4, return, reopen), the review
notices on every page, and the agencies' scorecards, their ranking, the
printed scorecard and the ranking's exports."""
