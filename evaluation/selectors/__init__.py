"""Reads with their related rows loaded up front, so each page runs a fixed
number of queries: review (the evaluator's pages), scorecard (scorecards and
the ranking)."""
