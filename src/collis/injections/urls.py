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
    path(
        "injections/<int:session_id>/outcome/",
        views.cycle_outcome_edit,
        name="cycle-outcome-edit",
    ),
    path("injections/<int:session_id>/goals/new/", views.gas_goal_edit, name="gas-goal-create"),
    path(
        "injections/<int:session_id>/goals/<int:goal_id>/",
        views.gas_goal_edit,
        name="gas-goal-edit",
    ),
    path("side-effects/", views.side_effect_triage, name="side-effect-triage"),
    path("side-effects/<int:report_id>/", views.side_effect_review, name="side-effect-review"),
]
