"""Reads with their related rows loaded up front, so each page runs a fixed
number of queries: browse (lists, table, dashboard, exports; the strategy
dimension of each link), trend. The sheet's own read is
reports/sheet.with_sheet_relations; the public site's are in
public/selectors.py; the review's and scorecards' in evaluation/selectors/."""
