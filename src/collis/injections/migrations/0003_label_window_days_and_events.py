"""Label window in days (dosing.BOTOX_WINDOW_DAYS), Botox 50 U vial, boxed-warning event kinds.

A stored window of N months becomes N × 28 days (3 months -> 84 days, the re-treatment interval);
the US Botox 50-unit vial is added where a clinic still has the seeded [100, 200].
"""

from django.db import migrations, models


def months_to_days(apps, schema_editor):
    ToxinProduct = apps.get_model("injections", "ToxinProduct")
    for product in ToxinProduct.objects.all():
        if product.limit_window_months:
            product.limit_window_days = product.limit_window_months * 28
        if product.code == "onabotulinumtoxinA" and product.vial_sizes == [100, 200]:
            product.vial_sizes = [50, 100, 200]
        product.save(update_fields=["limit_window_days", "vial_sizes"])


def days_to_months(apps, schema_editor):
    ToxinProduct = apps.get_model("injections", "ToxinProduct")
    for product in ToxinProduct.objects.all():
        if product.limit_window_days:
            product.limit_window_months = max(1, round(product.limit_window_days / 28))
            product.save(update_fields=["limit_window_months"])


class Migration(migrations.Migration):
    dependencies = [
        ("injections", "0002_label_products"),
    ]

    operations = [
        migrations.AddField(
            model_name="toxinproduct",
            name="limit_window_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "Empty: the limit is per session. Otherwise the limit counts every session "
                    "within this many days; it may not be longer than the minimum interval "
                    "(see dosing.BOTOX_WINDOW_DAYS)."
                ),
                null=True,
            ),
        ),
        migrations.RunPython(months_to_days, days_to_months),
        migrations.RemoveField(
            model_name="toxinproduct",
            name="limit_window_months",
        ),
        migrations.AddField(
            model_name="adverseevent",
            name="muscles",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="adverseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("dysphagia", "Swallowing difficulty (dysphagia)"),
                    ("breathing_difficulty", "Breathing difficulty"),
                    ("voice_change", "Voice change (hoarseness, dysphonia)"),
                    ("ptosis", "Drooping eyelid (ptosis)"),
                    ("diplopia", "Double or blurred vision (diplopia)"),
                    ("generalised_weakness", "Generalised muscle weakness"),
                    ("anaphylaxis", "Allergic reaction (anaphylaxis)"),
                    ("neck_weakness", "Neck weakness"),
                    ("injection_site_pain", "Injection-site pain"),
                    ("headache", "Headache"),
                    ("urti", "Upper respiratory infection"),
                    ("dry_mouth", "Dry mouth"),
                    ("other", "Other"),
                ],
                max_length=30,
            ),
        ),
    ]
