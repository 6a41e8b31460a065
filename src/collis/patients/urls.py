from django.urls import path

from collis.patients import views

app_name = "patients"

urlpatterns = [
    path("patients/", views.patient_list, name="patient-list"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:patient_id>/diagnosis/", views.diagnosis_edit, name="diagnosis-edit"),
    path("patients/<int:patient_id>/visits/new/", views.visit_create, name="visit-create"),
    path(
        "patients/<int:patient_id>/toxin-response/",
        views.toxin_response,
        name="toxin-response",
    ),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:visit_id>/summary/", views.visit_summary, name="visit-summary"),
    path("visits/<int:visit_id>/summary.pdf", views.visit_summary_pdf, name="visit-summary-pdf"),
]
