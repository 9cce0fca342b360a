"""What an uploaded workbook must be before openpyxl opens it: an XLSX (a
zip holding a workbook, by its bytes, not its name), not too big, and not a
zip bomb (members too large in all, or too compressed). Uploads kept for the
confirm step live under MEDIA_ROOT with a random name tied to their owner,
and expire."""

from __future__ import annotations

import io
import json
import secrets
import time
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
# Members every XLSX has.
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
MAX_MEMBERS = 1000
# Text XML compresses well, ~10-20x; a bomb is thousands of times.
MAX_RATIO = 200
TOKEN_BYTES = 24


class WorkbookRefused(Exception):
    """The file is not a workbook this app will read, with the Thai reason."""


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def check_size(size: int) -> None:
    if size > max_bytes():
        raise WorkbookRefused(_("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": max_bytes() // (1024 * 1024)})


def check_bytes(content: bytes) -> None:
    """Refuses anything but a plausible XLSX, before any XML is parsed."""
    check_size(len(content))
    if not content.startswith(ZIP_MAGIC):
        raise WorkbookRefused(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (XLSX) กรุณาบันทึกเป็น .xlsx จาก Excel แล้วอัปโหลดใหม่"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise WorkbookRefused(_("ไฟล์ XLSX เสียหาย เปิดอ่านไม่ได้")) from exc
    names = {member.filename for member in members}
    if not all(name in names for name in REQUIRED_MEMBERS):
        raise WorkbookRefused(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (XLSX) กรุณาบันทึกเป็น .xlsx จาก Excel แล้วอัปโหลดใหม่"))
    total = sum(member.file_size for member in members)
    too_compressed = any(
        member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_MEMBERS or total > int(settings.IMPORT_MAX_UNCOMPRESSED_BYTES) or too_compressed:
        raise WorkbookRefused(_("ไฟล์นี้เมื่อขยายแล้วใหญ่ผิดปกติ ระบบไม่เปิดอ่านเพื่อความปลอดภัย"))


# --- uploads kept between the preview and the confirmation ---------------

def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store(content: bytes, *, owner_id: int, name: str) -> str:
    """Keeps a checked upload; returns its token."""
    check_bytes(content)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    (directory / f"{token}.xlsx").write_bytes(content)
    (directory / f"{token}.json").write_text(json.dumps({"owner": owner_id, "name": name}))
    return token


def load(token: str, *, owner_id: int) -> tuple[bytes, str]:
    """The upload's bytes and original name, only for its owner and before
    it expires; refused otherwise."""
    gone = WorkbookRefused(_("ไฟล์ที่อัปโหลดไว้หมดอายุหรือไม่พบแล้ว กรุณาอัปโหลดใหม่"))
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        raise gone
    path, meta_path = _directory() / f"{token}.xlsx", _directory() / f"{token}.json"
    if not path.is_file() or not meta_path.is_file() or _expired(path, time.time()):
        raise gone
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    if meta.get("owner") != owner_id:
        raise gone
    content = path.read_bytes()
    check_bytes(content)
    return content, str(meta.get("name", ""))


def _expired(path: Path, now: float) -> bool:
    return path.stat().st_mtime < now - int(settings.IMPORT_KEEP_HOURS) * 3600


def delete_expired(now: float | None = None) -> int:
    directory = _directory()
    if not directory.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for path in directory.iterdir():
        if _expired(path, now):
            path.unlink(missing_ok=True)
            removed += path.suffix == ".xlsx"
    return removed


def delete_expired_uploads(**kwargs: object) -> None:
    """Expired uploads, when jobs' cleanup runs (its cleanup_due signal):
    they expire after IMPORT_KEEP_HOURS, not the jobs' own keep time."""
    delete_expired()
