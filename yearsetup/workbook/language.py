"""The workbook is in Thai whatever the page's language: its sheet names,
headers and choices are the format read.py reads back, so a file made from
an /en/ page must import like any other."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation

P = ParamSpec("P")
R = TypeVar("R")


def in_thai(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` in the site's language (Thai), read at call time so a test's
    settings apply."""
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)
    return wrapper
