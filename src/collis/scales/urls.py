from django.urls import path

from collis.scales import views

app_name = "scales"

urlpatterns = [
    path(
        "patients/<int:patient_id>/scales/<str:scale>/new/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:assessment_id>/edit/", views.assessment_edit, name="assessment-edit"),
]
