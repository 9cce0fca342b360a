"""Checks on an uploaded evidence file: its size, and its type by extension AND
by content, so a renamed executable or a script called photo.jpg is refused.
Each refusal names the file, so the reporter knows which one to fix. A
file whose content is already attached to the quarter is refused too,
naming the file it repeats (content hashes, known_contents)."""

import hashlib
import os
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# extension -> (MIME type we store, what the content must be detected as)
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
WEBP = "image/webp"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALLOWED = {
    "pdf": PDF,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "gif": GIF,
    "webp": WEBP,
    "doc": DOC,
    "docx": DOCX,
    "xls": XLS,
    "xlsx": XLSX,
}
# Old Office files (.doc, .xls) are OLE compound files. Sniffing which
# application wrote one depends on where its streams happen to lie, and
# misses real files, so the container's signature is what we require.
OLE_TYPES = {DOC, XLS}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The part every Word / Excel (OOXML) zip must contain.
OOXML_MARKERS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}

# What a person calls each stored type, for lists of evidence.
KIND_LABELS = {
    PDF: "PDF",
    JPEG: gettext_lazy("รูปภาพ JPG"),
    PNG: gettext_lazy("รูปภาพ PNG"),
    GIF: gettext_lazy("รูปภาพ GIF"),
    WEBP: gettext_lazy("รูปภาพ WEBP"),
    DOC: "Word",
    DOCX: "Word",
    XLS: "Excel",
    XLSX: "Excel",
}

ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in ALLOWED)


def _detected_type(uploaded, expected):
    uploaded.seek(0)
    if expected in OOXML_MARKERS:
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded.seek(0)
        return expected if OOXML_MARKERS[expected] in names else None
    head = uploaded.read(8192)
    uploaded.seek(0)
    if expected in OLE_TYPES:
        return expected if head.startswith(OLE_SIGNATURE) else None
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_evidence_file(uploaded):
    """The MIME type to store for this upload, or ValidationError naming it."""
    name = os.path.basename(uploaded.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("ไฟล์ “%(name)s” ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ PDF, รูปภาพ JPG/PNG/GIF/WEBP, Word และ Excel)"),
            code="file_type",
            params={"name": name},
        )
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("ไฟล์ “%(name)s” มีขนาด %(size).1f MB เกินขนาดสูงสุด 10 MB"),
            code="file_size",
            params={"name": name, "size": uploaded.size / (1024 * 1024)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("ไฟล์ “%(name)s” ว่างเปล่า"), code="file_empty", params={"name": name})
    expected = ALLOWED[extension]
    if _detected_type(uploaded, expected) != expected:
        raise ValidationError(
            _("เนื้อหาของไฟล์ “%(name)s” ไม่ตรงกับนามสกุล .%(ext)s ระบบจึงไม่รับไฟล์นี้"),
            code="file_content",
            params={"name": name, "ext": extension},
        )
    return expected


def checked_files(files):
    """The uploaded files of a form that pass check_evidence_file, each as
    (file, content type, content hash), and the refusals of the others: the
    report form and the project update form both ask here (the form keeps
    the good ones even when another is refused)."""
    errors, accepted = [], []
    for uploaded in files:
        try:
            content_type = check_evidence_file(uploaded)
        except ValidationError as error:
            errors.extend(error.error_list)
        else:
            accepted.append((uploaded, content_type, content_hash(uploaded)))
    return accepted, errors


def content_hash(uploaded) -> str:
    """The SHA-256 of a file's content (an upload or a stored file), read in
    blocks; the file is left at its start."""
    digest = hashlib.sha256()
    uploaded.seek(0)
    for block in iter(lambda: uploaded.read(1 << 16), b""):
        digest.update(block)
    uploaded.seek(0)
    return digest.hexdigest()


def known_contents(evidence_items) -> dict[str, str]:
    """content hash -> file name of a quarter's attached files. A file stored
    before hashes were kept gets its hash now (saved without a history row:
    it is not a change anyone made); one whose file is missing is skipped."""
    known = {}
    for evidence in evidence_items:
        if not evidence.content_hash:
            if evidence.file_missing:
                continue
            with evidence.file.open("rb") as stored:
                evidence.content_hash = content_hash(stored)
            type(evidence).objects.filter(pk=evidence.pk).update(content_hash=evidence.content_hash)
        known.setdefault(evidence.content_hash, evidence.original_name)
    return known


def duplicate_refusal(new_name: str, existing_name: str) -> ValidationError:
    return ValidationError(
        _("ไฟล์ “%(name)s” มีเนื้อหาเดียวกับไฟล์ “%(existing)s” ที่แนบไว้แล้วในไตรมาสนี้ จึงไม่แนบซ้ำ"),
        code="file_duplicate",
        params={"name": new_name, "existing": existing_name},
    )
