"""Where evidence files are written: the file system under MEDIA_ROOT, with
no partial file left behind when a write fails (a full disk)."""

import logging
import os

from django.core.files.storage import FileSystemStorage

log = logging.getLogger(__name__)


class EvidenceStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.exists(full_path)
        try:
            return super()._save(name, content)
        except OSError:
            # Names are generated (a uuid), so a file that was not there before
            # is the half-written one of this call.
            if not existed and os.path.exists(full_path):
                os.remove(full_path)
            log.exception("evidence file %s could not be written; partial file removed", name)
            raise
