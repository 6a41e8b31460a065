"""Seed the five CD toxin products with their label figures (see dosing.LABELS for sources).

The figures are frozen here so later edits of dosing.py never rewrite a clinic's stored table.
"""

from django.db import migrations

# code, generic, brand, session limit, window months, recommended max, SCM advisory, interval,
# vial sizes — clinical.md §3–§4, with the evidence marks given in collis.injections.dosing.
PRODUCTS = [
    ("onabotulinumtoxinA", "onabotulinumtoxinA", "Botox", 400, 3, None, 100, 84, [100, 200]),
    ("abobotulinumtoxinA", "abobotulinumtoxinA", "Dysport", 1000, None, None, None, 84, [300, 500]),
    ("incobotulinumtoxinA", "incobotulinumtoxinA", "Xeomin", 400, None, None, None, 84, [50, 100, 200]),
    ("rimabotulinumtoxinB", "rimabotulinumtoxinB", "Myobloc", None, None, 5000, None, 84, [2500, 5000, 10000]),
    ("daxibotulinumtoxinA", "daxibotulinumtoxinA", "Daxxify", None, None, 250, None, 84, [50, 100]),
]


def seed(apps, schema_editor):
    ToxinProduct = apps.get_model("injections", "ToxinProduct")
    for code, generic, brand, limit, window, recommended, scm, interval, vials in PRODUCTS:
        ToxinProduct.objects.update_or_create(
            code=code,
            defaults={
                "generic_name": generic,
                "brand": brand,
                "session_limit_units": limit,
                "limit_window_months": window,
                "recommended_max_units": recommended,
                "scm_advisory_units": scm,
                "min_interval_days": interval,
                "vial_sizes": vials,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("injections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
