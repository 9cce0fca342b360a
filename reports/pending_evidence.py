"""Evidence files kept across a refused report form (PendingEvidence): the
files of a post that saved nothing, which passed the checks, are stored for
the user who sent them, so the form they get back shows "ไฟล์ที่แนบไว้"
instead of asking them to choose the files again. The next accepted save
turns them into Evidence (services.save_quarter_report); the user may drop
one; they expire after KEEP_HOURS, deleted by delete_expired (run on every
refused post and by `manage.py cleanup_pending_evidence`).

No other user ever reads them: every read here is filtered by owner."""

import datetime
import logging

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from indicators.models import Indicator

from .models import PendingEvidence

log = logging.getLogger(__name__)

KEEP_HOURS = 24


def _cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(hours=KEEP_HOURS)


def kept_for(user: User, indicator: Indicator, quarter: int) -> QuerySet[PendingEvidence]:
    """The files this user has waiting on this quarter, not yet expired."""
    if not user.is_authenticated:
        return PendingEvidence.objects.none()
    return PendingEvidence.objects.filter(
        owner=user, indicator=indicator, quarter=quarter, created_at__gt=_cutoff()
    )


def keep(*, user: User, indicator: Indicator, quarter: int,
         files: list[tuple[UploadedFile, str, str]], item_id: int | None = None) -> tuple[list[PendingEvidence], int]:
    """Store checked uploads ((file, MIME type, content hash) each) for this
    user. Returns (the kept rows, how many could not be stored: a full or
    unwritable disk, which the form then asks to choose again). item_id:
    the checklist item they were chosen for (None: other)."""
    kept: list[PendingEvidence] = []
    failed = 0
    for uploaded, content_type, digest in files:
        name = uploaded.name or ""
        pending = PendingEvidence(owner=user, indicator=indicator, quarter=quarter, original_name=name,
                                  content_type=content_type, size=uploaded.size or 0, content_hash=digest,
                                  item_id=item_id)
        try:
            pending.file.save(name, uploaded, save=False)
        except OSError as error:
            log.error("pending evidence %r for indicator %s not stored: %s", name, indicator.pk, error)
            failed += 1
            continue
        pending.save()
        kept.append(pending)
    return kept, failed


def drop(items: list[PendingEvidence]) -> None:
    """Delete these pending files (the user chose not to attach them)."""
    for pending in items:
        _delete(pending)


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Delete every pending file older than KEEP_HOURS, with its stored
    file; returns how many."""
    expired = list(PendingEvidence.objects.filter(created_at__lte=_cutoff(now)))
    for pending in expired:
        _delete(pending)
    return len(expired)


def _delete(pending: PendingEvidence) -> None:
    # The file goes only if this call removed the row: a save that turned
    # the row into Evidence at the same moment owns the file now.
    deleted, _rows = PendingEvidence.objects.filter(pk=pending.pk).delete()
    if deleted and pending.file.name:
        pending.file.storage.delete(pending.file.name)
