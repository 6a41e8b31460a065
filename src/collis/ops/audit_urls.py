"""The audit-log pages, named ``audit:<noun>-<verb>`` as before they moved here."""

from django.urls import path

from collis.ops import audit_views as views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export.csv", views.event_export, {"fmt": "csv"}, name="event-export-csv"),
    path("export.jsonl", views.event_export, {"fmt": "jsonl"}, name="event-export-jsonl"),
]
