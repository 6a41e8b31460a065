from django.urls import path, re_path

from collis.interop.fhir import everything, views
from collis.interop.smart.views import smart_configuration

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", smart_configuration, name="smart-configuration"),
    path("$export", everything.bulk_export_kickoff, name="export"),
    path("$export-status/<int:job_id>", everything.bulk_export_status, name="export-status"),
    path(
        "$export-file/<int:job_id>/<str:resource_type>.ndjson",
        everything.bulk_export_file,
        name="export-file",
    ),
    path("Patient/$export", everything.patient_export_kickoff, name="patient-export"),
    path("Group/<str:group_id>/$export", everything.group_export_kickoff, name="group-export"),
    path("Patient/<str:resource_id>/$everything", everything.patient_everything, name="everything"),
    path("<str:resource_type>", views.type_endpoint, name="search"),
    path("<str:resource_type>/_search", views.search_post, name="search-post"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    path("<str:resource_type>/<str:resource_id>/_history", views.history, name="history"),
    path(
        "<str:resource_type>/<str:resource_id>/_history/<str:version_id>",
        views.vread,
        name="vread",
    ),
    # Anything else under /fhir/ is a 404 OperationOutcome, not the site's HTML page.
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
