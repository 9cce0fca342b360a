"""Reads with their related rows loaded up front, so each page runs a fixed
number of queries: detail (an indicator's sheet), browse (lists, table,
dashboard, exports; the strategy dimension of each link), trend, public."""
