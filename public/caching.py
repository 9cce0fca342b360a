"""Public answers (pages, open data files, API responses) cached per version
of the data they show, with ETag and Last-Modified.

As reports/sheet_cache.py does for the staff page, a key holds the
version of what the answer shows (an indicator's sheet_version, or
public/selectors.data_version of a year's indicators), so when an evaluator
accepts, scores or reopens a quarter (or anything else on the page changes)
the version moves on and the old entry is simply never asked for again.
Nothing is deleted, so app servers with caches of their own stay correct.

The ETag is the key itself (hashed): equal keys, equal answers. Last-Modified
is when this process's cache first saw the key: never earlier than the
change that made the version, so a client's If-Modified-Since never hides a
change; an evicted stamp only makes it later (one more full answer)."""

import hashlib
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from web import release

# Entries for versions no longer asked for expire on their own.
TIMEOUT_SECONDS = 24 * 60 * 60


def clean_query(data: QueryDict, allowed: Iterable[str]) -> QueryDict:
    """Only the parameters an answer reads, non-empty, in a fixed order: the
    same answer has one key, and made-up parameters cannot fill the cache."""
    cleaned = QueryDict(mutable=True)
    for name in sorted(set(allowed)):
        values = [value for value in data.getlist(name) if value != ""]
        if values:
            cleaned.setlist(name, values)
    return cleaned


def key_for(kind: str, version: str, *parts: object) -> str:
    """A cache key for one answer: what it is (`kind`), the version of its
    data, the language, and whatever else it depends on (`parts`: the path,
    the cleaned query, who asks)."""
    raw = "|".join([kind, version, release.fingerprint(), translation.get_language() or "",
                    *(str(part) for part in parts)])
    return f"public:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def get(key: str) -> object | None:
    return cache.get(key)


def put(key: str, value: object) -> None:
    cache.set(key, value, TIMEOUT_SECONDS)


def built_once(key: str, build: Callable[[], bytes], wait_seconds: float = 30) -> bytes:
    """The cached value under `key`, or build()'s (cached). While one request
    builds it (a year's open data file takes seconds at city scale), the
    others that want the same key wait for it rather than build it again
    (within a process with the local-memory cache; across app servers with a
    shared cache). They build it themselves if it takes too long."""
    found = cache.get(key)
    if found is not None:
        return found
    lock = f"{key}:building"
    if cache.add(lock, 1, int(wait_seconds * 4)):
        try:
            found = build()
            put(key, found)
        finally:
            cache.delete(lock)
        return found
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline and cache.get(lock) is not None:
        time.sleep(0.2)
        found = cache.get(key)
        if found is not None:
            return found
    found = cache.get(key)
    if found is None:
        found = build()
        put(key, found)
    return found


def etag_of(key: str) -> str:
    return f'"{key.rsplit(":", 1)[-1][:40]}"'


def first_seen(key: str) -> int:
    """When this key was first asked for (a Unix time in whole seconds)."""
    stamp_key = f"{key}:since"
    found = cache.get(stamp_key)
    if found is None:
        cache.add(stamp_key, int(time.time()), TIMEOUT_SECONDS)
        found = cache.get(stamp_key) or int(time.time())
    return int(found)


def not_modified(request: HttpRequest, key: str, private: bool = False) -> HttpResponseBase | None:
    """A 304 when the client's copy (If-None-Match / If-Modified-Since) is
    this version, else None."""
    response = get_conditional_response(request, etag=etag_of(key), last_modified=first_seen(key))
    return stamp(response, key, private) if response is not None else None


def stamp(response: HttpResponseBase, key: str, private: bool = False) -> HttpResponseBase:
    """ETag and Last-Modified on an answer. Clients and proxies must ask
    again each time (no-cache) but may keep the body for a conditional
    request; an answer for a signed-in token is for its owner only."""
    response["ETag"] = etag_of(key)
    response["Last-Modified"] = http_date(first_seen(key))
    response["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    return response
