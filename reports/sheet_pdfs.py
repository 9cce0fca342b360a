"""The sheet cache: each indicator's sheet laid out once per version of
what it prints, kept as a PDF file, reused by every print until it changes.

The key holds Indicator.sheet_version, which signal handlers bump on every
change to what a sheet shows (reports/sheet_cache.py: results, narratives,
evidence, the indicator, its strategy links and nodes, its agency, district
groups), the language, and LAYOUT_VERSION for the print templates. Cached
sheets carry no stamp (who printed, when, page numbers): printing.finish
lays that over the pages, so a reprint by someone else reuses them. Stale
files are never read again (their key is no longer asked for); the cleanup
command deletes those not used for PRINT_JOB_KEEP_DAYS."""

import datetime
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from indicators.models import Indicator

# Bump when the print templates (templates/reports/print/) or their style
# change what a laid-out sheet looks like: every cached sheet is then stale.
# 7: the sheet lists the projects supporting the indicator (issue 23)
LAYOUT_VERSION = 8  # 8: each quarter's evidence as the checklist of the data sources (issue 24)


def cache_key(indicator: Indicator) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"v{LAYOUT_VERSION}-{language}-{indicator.pk}-{indicator.sheet_version}.pdf"


def _path(indicator: Indicator) -> Path:
    return Path(settings.PRINT_CACHE_DIR) / cache_key(indicator)


def cached(indicator: Indicator) -> bytes | None:
    return read(cache_key(indicator))


def read(name: str) -> bytes | None:
    """A file of the print cache (a sheet, page numbers, a book's front
    matter), or None."""
    path = Path(settings.PRINT_CACHE_DIR) / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    os.utime(path)  # in use: the cleanup keeps it
    return data


def is_cached(indicator: Indicator) -> bool:
    return _path(indicator).exists()


def store(indicator: Indicator, pdf: bytes) -> None:
    write(cache_key(indicator), pdf)


def write(name: str, data: bytes) -> None:
    """Writes the file whole or not at all: a reader never sees half a PDF."""
    directory = Path(settings.PRINT_CACHE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, directory / name)


def delete_unused(before: datetime.datetime, **kwargs: Any) -> None:
    """Cached sheets no print has used since `before` (jobs' cleanup_due signal)."""
    directory = Path(settings.PRINT_CACHE_DIR)
    if directory.is_dir():
        for path in directory.iterdir():
            if path.stat().st_mtime < before.timestamp():
                path.unlink(missing_ok=True)
