"""The jobs' own table (jobs_job, renamed from reports_printjob with its
rows), labels, room for longer kind names, and the admin's content type
moved with the model so its log entries and permissions follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, old=("reports", "printjob"), new=("jobs", "job")):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new[0], model=new[1]).exists():
        ContentType.objects.filter(app_label=old[0], model=old[1]).update(app_label=new[0], model=new[1])


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old=("jobs", "job"), new=("reports", "printjob"))


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='job',
            options={'ordering': ['-created_at', '-pk'], 'verbose_name': 'งานเบื้องหลัง', 'verbose_name_plural': 'งานเบื้องหลัง'},
        ),
        migrations.AlterField(
            model_name='job',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='สั่งเมื่อ'),
        ),
        migrations.AlterField(
            model_name='job',
            name='kind',
            field=models.CharField(max_length=30, verbose_name='ชนิดงาน'),
        ),
        migrations.AlterField(
            model_name='job',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='ผู้สั่ง'),
        ),
        migrations.AlterField(
            model_name='job',
            name='status',
            field=models.CharField(choices=[('queued', 'รอคิว'), ('running', 'กำลังดำเนินการ'), ('done', 'เสร็จแล้ว'), ('failed', 'ไม่สำเร็จ')], default='queued', max_length=10, verbose_name='สถานะ'),
        ),
        migrations.AlterField(
            model_name='job',
            name='title',
            field=models.CharField(blank=True, max_length=500, verbose_name='ชื่องาน'),
        ),
        migrations.AlterModelTable(
            name='job',
            table=None,
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
