from django.urls import path

from collis.injections import views

app_name = "injections"

urlpatterns = [
    path("patients/<int:patient_id>/injections/new/", views.session_create, name="session-create"),
    path("injections/<int:session_id>/", views.session_detail, name="session-detail"),
    path(
        "injections/<int:session_id>/adverse-events/new/",
        views.adverse_event_create,
        name="adverse-event-create",
    ),
    path(
        "injections/<int:session_id>/cycle-report/",
        views.cycle_report_edit,
        name="cycle-report-edit",
    ),
]
