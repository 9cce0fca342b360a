"""An indicator's data sources (วิธีการการเก็บข้อมูล/แหล่งข้อมูล) as a list of
items: the evidence checklist of every quarter's report.

The items (DataSourceItem) are what evidence files and waivers point to.
People and imports still write them as text, one item a line (the admin's
textarea, the workbook's column, a year's rollover, the demo), and
Indicator.data_sources keeps that text for display: sync_items makes the
items follow the text and rewrites the text from the items ("1. ...", one a
line), so the two never drift. An item whose text is kept keeps its row,
and with it the files attached to it."""

import re
from collections.abc import Iterable

# A leading "1.", "2)", "๓." (Thai digits), optionally after a bullet; not
# "1.5 ล้าน" (a decimal).
_LEADING = re.compile(r"^\s*(?:[-•*]\s*)?(?P<n>\d{1,3})\s*[.)](?!\d)\s*")


def _inner_number(n: int) -> re.Pattern[str]:
    """The next item's number inside a line: "... 2. ..." preceded by a space."""
    thai = "".join("๐๑๒๓๔๕๖๗๘๙"[int(d)] for d in str(n))
    return re.compile(rf"\s(?:{n}|{thai})\s*[.)](?!\d)\s*")


def _split_line(line: str) -> list[str]:
    line = line.strip()
    match = _LEADING.match(line)
    if match is None:
        return [line] if line else []
    # Only a numbering that goes on from this line's own number splits it
    # ("1. a 2. b 3. c"), so a stray "5." inside an item's text stays.
    number = int(match.group("n"))
    rest, parts = line[match.end():], []
    while True:
        number += 1
        following = _inner_number(number).search(rest)
        if following is None:
            parts.append(rest.strip())
            break
        parts.append(rest[:following.start()].strip())
        rest = rest[following.end():]
    return [part for part in parts if part]


def split_data_sources(text: str | None) -> list[str]:
    """The items of a data-sources text: one a line, blank lines dropped, a
    leading numbering ("1. ", "2)") removed, and a line numbered through
    ("1. a 2. b 3. c", as the seed has it) split into its items."""
    items: list[str] = []
    for line in (text or "").splitlines():
        items.extend(_split_line(line))
    return items


def format_data_sources(items: Iterable[str]) -> str:
    """The display text of the items: numbered, one a line."""
    return "\n".join(f"{number}. {text}" for number, text in enumerate(items, start=1))


def sync_items(indicator_ids: Iterable[int], user=None, reason: str = "") -> int:
    """Make these indicators' items follow their data_sources text, and
    rewrite the text from the items. Read in a fixed number of queries,
    new items written in bulk (a new year's hundreds) with their history;
    a moved or removed item on its own. Returns how many indicators' items
    changed."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from .models import DataSourceItem, Indicator

    ids = list(indicator_ids)
    if not ids:
        return 0
    changed = 0
    with transaction.atomic():
        texts = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "data_sources"))
        existing: dict[int, list[DataSourceItem]] = {}
        for item in DataSourceItem.objects.filter(indicator_id__in=ids).order_by("indicator_id", "order", "id"):
            existing.setdefault(item.indicator_id, []).append(item)
        new, moved, gone, retext = [], [], [], {}
        for pk, text in texts.items():
            wanted = split_data_sources(text)
            have = existing.get(pk, [])
            formatted = format_data_sources(wanted)
            if formatted != text:
                retext[pk] = formatted
            if [item.text for item in have] == wanted:
                continue
            changed += 1
            by_text: dict[str, list[DataSourceItem]] = {}
            for item in have:
                by_text.setdefault(item.text, []).append(item)
            kept = set()
            for order, item_text in enumerate(wanted, start=1):
                same = by_text.get(item_text)
                if same:
                    item = same.pop(0)
                    kept.add(item.pk)
                    if item.order != order:
                        item.order = order
                        moved.append(item)
                else:
                    new.append(DataSourceItem(indicator_id=pk, order=order, text=item_text))
            gone.extend(item for item in have if item.pk not in kept)
        # Each row's history too (simple-history writes none for bulk writes).
        for item in gone:
            item._change_reason = reason
            item._history_user = user
            item.delete()
        for item in moved:
            item._change_reason = reason
            item._history_user = user
            item.save(update_fields=["order"])
        if new:
            bulk_create_with_history(new, DataSourceItem, batch_size=500, default_user=user,
                                     default_change_reason=reason or None)
        # The text is the items' own display: no history row of its own.
        Indicator.objects.bulk_update([Indicator(pk=pk, data_sources=text) for pk, text in retext.items()],
                                      ["data_sources"], batch_size=500)
    return changed
