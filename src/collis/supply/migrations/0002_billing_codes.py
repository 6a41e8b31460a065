"""Store the default billing reference table so a clinic can edit it in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from collis.supply.billing import DEFAULT_CODES

    BillingCode = apps.get_model("supply", "BillingCode")
    for entry in DEFAULT_CODES:
        BillingCode.objects.get_or_create(
            key=entry.key,
            defaults={
                "code": entry.code,
                "description": entry.description,
                "units_per_billing_unit": entry.units_per_billing_unit,
                "evidence": entry.evidence,
                "source": entry.source[:300],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("supply", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
