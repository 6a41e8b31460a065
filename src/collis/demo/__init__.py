"""Synthetic demo data (Faker, fixed seed). Never real patients.

``manage.py seed_demo`` runs every app's ``demo.seed(ctx)`` in dependency order; each seeder is
idempotent (it looks rows up by stable keys before creating them).
"""
