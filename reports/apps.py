from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("รายงานผล")

    def ready(self):
        from jobs import kinds, signals

        from . import job_kinds, sheet_cache, sheet_pdfs, tasks  # noqa: F401
        from .project_printing import receivers  # noqa: F401

        # sheet_cache connects its signal handlers on import: what the
        # indicator's page shows changed, so cached pages and sheets go;
        # project_printing.receivers does the same for projects' sheets.
        kinds.register(kinds.JobKind(
            job_kinds.BOOK, _("เล่มรายละเอียดตัวชี้วัด (PDF)"), task=tasks.make_book,
            progress_text=_("จัดหน้าแล้ว {done} จาก {total} ตัวชี้วัด"),
            finishing_text=_("จัดหน้าครบแล้ว กำลังรวมเล่ม ใส่เลขหน้า สารบัญ และที่คั่นหน้า"),
        ))
        kinds.register(kinds.JobKind(
            job_kinds.PROJECT_BOOK, _("เล่มรายละเอียดโครงการ/กิจกรรมของหน่วยงาน (PDF)"), task=tasks.make_project_book,
            progress_text=_("จัดหน้าแล้ว {done} จาก {total} โครงการ"),
            finishing_text=_("จัดหน้าครบแล้ว กำลังรวมเล่ม ใส่เลขหน้า สารบัญ และที่คั่นหน้า"),
        ))
        for name, label in (
            (job_kinds.QUARTERLY_XLSX, _("ตารางผลงานรายไตรมาส (XLSX)")),
            (job_kinds.QUARTERLY_CSV, _("ตารางผลงานรายไตรมาส (CSV)")),
            (job_kinds.LIST_CSV, _("รายการตัวชี้วัด (CSV)")),
            (job_kinds.LIST_XLSX, _("รายการตัวชี้วัด (XLSX)")),
        ):
            kinds.register(kinds.JobKind(name, label, task=tasks.make_export))
        signals.cleanup_due.connect(sheet_pdfs.delete_unused, dispatch_uid="reports.print_cache_cleanup")
