"""A fingerprint of the code that draws the pages, for cache keys.

The page caches (reports/sheet_cache.py, public/caching.py) key a body by
the version of its data. A new release that draws the same data differently
(a template, a number format, a translation) must not be answered from a
body the old release cached, yet nobody should have to remember to bump a
constant: the fingerprint is a digest of the files that decide how a page
looks, the same on every app server running the same code."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

# What a rendered page depends on besides its data.
DRAWN_BY = ("templates/**/*.html", "templates/**/*.txt", "*/templates/**/*.html", "*/templates/**/*.txt",
            "locale/*/LC_MESSAGES/*.mo", "config/*.py", "web/**/*.py", "indicators/**/*.py", "reports/**/*.py",
            "notifications/**/*.py", "public/**/*.py", "api/**/*.py")


@cache
def fingerprint() -> str:
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted({p for pattern in DRAWN_BY for p in root.glob(pattern) if "migrations" not in p.parts}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
