from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("บันทึกการเปลี่ยนแปลง")

    def ready(self):
        from jobs import kinds

        from . import receivers, tasks  # noqa: F401  (receivers connect on import)

        kinds.register(kinds.JobKind(tasks.AUDIT_XLSX, _("บันทึกการเปลี่ยนแปลง (XLSX)"), task=tasks.make_audit_xlsx))
