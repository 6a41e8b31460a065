"""The clinician's patient pages under /clinic/, all named ``patients:<noun>-<verb>``.

One URL namespace is one URLconf, so the patient list, diagnosis and visit pages (``patients``)
and the record and summary pages (``chart``) are mounted together here, on the top floor.
"""

from django.urls import path

from collis.chart import views as chart_views
from collis.patients import views

app_name = "patients"

urlpatterns = [
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<int:patient_id>/", chart_views.patient_detail, name="patient-detail"),
    path("patients/<int:patient_id>/diagnosis/", views.diagnosis_edit, name="diagnosis-edit"),
    path("patients/<int:patient_id>/visits/new/", views.visit_create, name="visit-create"),
    path(
        "patients/<int:patient_id>/toxin-response/",
        chart_views.toxin_response,
        name="toxin-response",
    ),
    path(
        "records/<str:kind>/<int:record_id>/delete/",
        chart_views.record_delete,
        name="record-delete",
    ),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:visit_id>/summary/", chart_views.visit_summary, name="visit-summary"),
    path(
        "visits/<int:visit_id>/summary.pdf",
        chart_views.visit_summary_pdf,
        name="visit-summary-pdf",
    ),
]
