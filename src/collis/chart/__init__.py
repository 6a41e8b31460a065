"""The top floor: pages that assemble a patient's whole chart.

The record timeline (``timeline``), the visit summary and its PDF (``summary``, ``summary_pdf``)
and the patient portal (``portal``) read from every clinical app, so they live here and import
downward only: nothing below ``chart`` imports it (``make lint`` checks the layers).
"""
