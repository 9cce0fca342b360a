from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearsetupConfig(AppConfig):
    name = "yearsetup"
    verbose_name = _("การตั้งค่าปีงบประมาณ")
