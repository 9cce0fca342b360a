"""The evidence checklist (issue 24): an indicator's data sources as items,
and every existing indicator's text split into its items (one a line, the
numbering removed, "1. a 2. b" split), the text rewritten from them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from indicators.data_sources import format_data_sources, split_data_sources

BATCH = 500


def split_existing(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Item = apps.get_model("indicators", "DataSourceItem")
    History = apps.get_model("indicators", "HistoricalDataSourceItem")
    now = timezone.now()
    rows = Indicator.objects.exclude(data_sources="").values_list("pk", "data_sources").iterator(chunk_size=BATCH)
    for pk, text in rows:
        texts = split_data_sources(text)
        if not texts:
            continue
        items = Item.objects.bulk_create(
            [Item(indicator_id=pk, order=order, text=item) for order, item in enumerate(texts, start=1)]
        )
        History.objects.bulk_create([
            History(id=item.pk, indicator_id=pk, order=item.order, text=item.text, history_date=now,
                    history_type="+", history_change_reason="แยกรายการจากวิธีการการเก็บข้อมูล/แหล่งข้อมูล")
            for item in items
        ])
        formatted = format_data_sources(texts)
        if formatted != text:
            Indicator.objects.filter(pk=pk).update(data_sources=formatted)


def join_back(apps, schema_editor):
    """Backwards: the text already holds the items, one a line."""


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0015_agency_signoff'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataSourceItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(verbose_name='ลำดับ')),
                ('text', models.TextField(verbose_name='หลักฐาน/แหล่งข้อมูล')),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='data_source_items', to='indicators.indicator', verbose_name='ตัวชี้วัด')),
            ],
            options={
                'verbose_name': 'รายการหลักฐานตามแหล่งข้อมูล',
                'verbose_name_plural': 'รายการหลักฐานตามแหล่งข้อมูล',
                'ordering': ['indicator', 'order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDataSourceItem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(verbose_name='ลำดับ')),
                ('text', models.TextField(verbose_name='หลักฐาน/แหล่งข้อมูล')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator', verbose_name='ตัวชี้วัด')),
            ],
            options={
                'verbose_name': 'historical รายการหลักฐานตามแหล่งข้อมูล',
                'verbose_name_plural': 'historical รายการหลักฐานตามแหล่งข้อมูล',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(split_existing, join_back),
    ]
