"""/healthz for a load balancer or monitor: can this app server use the
database and the evidence storage? Answers without login and shows no data."""

import os
import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_usable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def evidence_storage_usable() -> bool:
    """MEDIA_ROOT exists (or can be made) and a file can be written there."""
    try:
        os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".healthz-"):
            return True
    except OSError:
        return False


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests  # a request transaction would fail before the check when the database is down
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_usable(), "evidence_storage": evidence_storage_usable()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {"status": "ok" if not failing else "unavailable", "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)
