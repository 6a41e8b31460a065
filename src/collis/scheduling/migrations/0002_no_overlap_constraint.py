"""No double booking, enforced by PostgreSQL itself.

An exclusion constraint forbids two active appointments of one clinician whose blocked ranges
(visit plus buffers) overlap. SQLite has no such constraint: there, booking transactions take the
write lock at BEGIN (``transaction_mode=IMMEDIATE`` in settings) and re-check inside it.
The statuses listed must match ``Appointment.ACTIVE_STATUSES``.
"""

from django.db import migrations

CONSTRAINT = "scheduling_appointment_no_overlap"

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE scheduling_appointment ADD CONSTRAINT {CONSTRAINT}
EXCLUDE USING gist (
    clinician_id WITH =,
    tstzrange(blocked_start, blocked_end, '[)') WITH &&
) WHERE (status IN ('requested', 'confirmed', 'arrived', 'completed'));
"""
BACKWARD = f"ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
