"""The reports app's pages: entry (the reporter's quarter report, evidence,
history), printing (PDF sheet and book), browse (quarterly table, dashboard,
exports)."""
