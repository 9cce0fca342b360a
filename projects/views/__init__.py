"""The projects' pages: the list and the project's page (browse, detail),
the quarterly update and its files (entry), the printed sheet (printing)."""
