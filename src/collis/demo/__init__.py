"""Synthetic demo data (Faker, fixed seed). Never real patients.

One seeder module per app (``demo/accounts.py``, ``demo/patients.py``, ...; ``two_factor.py``
last). ``manage.py seed_demo`` runs each ``seed(ctx)`` in dependency order; each seeder is
idempotent (it looks rows up by stable keys before creating them). This app is on the top
floor: it may import every app, and no app imports it.
"""
