"""The evaluation app's pages: review (the evaluator's queue and actions) and
scorecard (the agencies' scorecards, the ranking, their PDF and exports)."""
