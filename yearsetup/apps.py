from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _viewer(params):
    """The user the workbook export is made for: the view puts their id in
    the export's params (over anything the query string said), and a job's
    params are its owner's; without one, an anonymous user (no projects)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    viewer = str(params.get("viewer", ""))
    user = get_user_model().objects.filter(pk=viewer).first() if viewer.isdigit() else None
    return user or AnonymousUser()


class YearsetupConfig(AppConfig):
    name = "yearsetup"
    verbose_name = _("การตั้งค่าปีงบประมาณ")

    def ready(self):
        from jobs import kinds, signals
        from reports import export_jobs
        from reports import tasks as report_tasks

        from . import job_kinds, tasks
        from .workbook import files
        from .workbook.export import export_workbook, exported_projects

        progress = _("ดำเนินการแล้ว {done}%")
        for name, label, done_title, failed in (
            (job_kinds.IMPORT_CHECK, _("ตรวจสอบไฟล์นำเข้า (XLSX)"),
             _("ตรวจไฟล์ “%(t)s” เสร็จแล้ว ดูผลการตรวจก่อนยืนยันนำเข้า"),
             # The check writes nothing.
             _("ตรวจสอบไฟล์นำเข้าไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบไม่ได้บันทึกข้อมูลใด ๆ "
               "กรุณาอัปโหลดไฟล์อีกครั้ง หากยังไม่สำเร็จ กรุณาแจ้งผู้ดูแลระบบ")),
            (job_kinds.IMPORT_APPLY, _("นำเข้าข้อมูลจากไฟล์ (XLSX)"), _("นำเข้า “%(t)s” เสร็จแล้ว"),
             # The import writes the whole file or nothing, but mails new
             # users after, so what was saved is worth a look.
             _("นำเข้าข้อมูลไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบบันทึกทั้งไฟล์หรือไม่บันทึกเลย "
               "กรุณาตรวจดูข้อมูลในระบบก่อนอัปโหลดไฟล์อีกครั้ง หรือแจ้งผู้ดูแลระบบ")),
        ):
            kinds.register(kinds.JobKind(
                name, label, task=tasks.import_workbook, progress_text=progress,
                result_page="workbook:import_job", result_label=_("ดูผลการตรวจสอบและนำเข้า"),
                # The same file would fail the same way: a new upload, not a retry.
                restart_page="workbook:import", restart_label=_("อัปโหลดไฟล์ใหม่"),
                done_title=done_title, notice="import_finished", failed_message=failed,
            ))
        kinds.register(kinds.JobKind(
            job_kinds.ROLLOVER, _("เริ่มปีงบประมาณใหม่จากปีเดิม"), task=tasks.roll_over,
            progress_text=_("กำลังคัดลอกตัวชี้วัดและสร้างไตรมาส"), result_page="workbook:rollover_job",
            restart_page="workbook:rollover", restart_label=_("กลับไปที่หน้าเริ่มปีงบประมาณใหม่"),
            done_title=_("เริ่มปีงบประมาณใหม่ “%(t)s” เสร็จแล้ว"),
            failed_message=_("เริ่มปีงบประมาณใหม่ไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบไม่ได้บันทึกข้อมูลใด ๆ "
                             "กรุณาลองอีกครั้ง หรือแจ้งผู้ดูแลระบบ"),
        ))
        # The importable workbook is one more whole-year export.
        kinds.register(kinds.JobKind(job_kinds.WORKBOOK_XLSX, _("ตัวชี้วัดแบบนำเข้าได้ (XLSX)"),
                                     task=report_tasks.make_export))
        export_jobs.register(export_jobs.Export(
            job_kinds.WORKBOOK_XLSX, _("ตัวชี้วัดแบบนำเข้าได้"), "home", export_jobs.BACK_TO_LIST,
            lambda filterset, params, on_rows: export_workbook(
                filterset.qs, on_rows=on_rows, projects=exported_projects(_viewer(params), filterset.fiscal_year)),
            lambda filterset: f"indicators-{export_jobs.year_of(filterset)}.xlsx",
        ))
        signals.cleanup_due.connect(files.delete_expired_uploads, dispatch_uid="yearsetup.expired_uploads")
