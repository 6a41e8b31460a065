"""The starting home-programme library, from the clinic's self-care handout (education app)."""

from django.db import migrations

from collis.diary.library import EXERCISES



def seed(apps, schema_editor):
    Exercise = apps.get_model("diary", "Exercise")
    for slug, name, kind, instructions, caution in EXERCISES:
        Exercise.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "instructions": instructions, "caution": caution},
        )


class Migration(migrations.Migration):
    dependencies = [("diary", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
