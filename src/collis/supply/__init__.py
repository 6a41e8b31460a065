"""Toxin supply and paperwork: vial stock, reconstitution, draws and waste, prior authorisations,
claim lines and reports.

Layer: a clinical app beside ``injections`` and ``scheduling``. It imports downward (``lib``,
``audit``, ``accounts``, ``providers``, ``patients``) and ``injections`` (whose sessions it draws
for). Scheduling never imports it: supply registers its booking check in
``collis.lib.booking_checks`` from ``apps.ready()``.

Pure cores (no Django): ``stock.py`` (balances, beyond-use, reorder), ``billing.py`` (claim lines
from the reference table), ``authorisation.py`` (is this booking covered?).
"""
