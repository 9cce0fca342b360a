from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

from indicators import rules


def store_achievement(apps, schema_editor):
    """Each indicator's achievement from its stored achieved value, as
    stored_status.refresh computes it from then on."""
    Indicator = apps.get_model("indicators", "Indicator")
    changed = []
    for indicator in Indicator.objects.exclude(achieved=None).only("achieved", "annual_target", "direction").iterator():
        percent = rules.achievement_percent(indicator.achieved, indicator.annual_target, indicator.direction)
        if percent is not None:
            indicator.achievement = percent.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            changed.append(indicator)
    Indicator.objects.bulk_update(changed, ["achievement"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0012_public_statuses'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicator',
            name='achievement',
            field=models.DecimalField(decimal_places=4, editable=False, max_digits=7, null=True),
        ),
        migrations.RunPython(store_achievement, migrations.RunPython.noop),
    ]
