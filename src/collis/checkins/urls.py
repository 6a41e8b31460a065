"""Check-in URLs: the patient's under /portal/checkins/, the clinician's under /clinic/."""

from django.urls import path

from collis.checkins import views

app_name = "checkins"

urlpatterns = [
    path("portal/checkins/", views.my_checkins, name="portal-list"),
    path("portal/checkins/consent/", views.consent, name="portal-consent"),
    path("portal/checkins/new/", views.new_checkin, name="portal-new"),
    path("portal/checkins/<int:checkin_id>/", views.my_checkin, name="portal-detail"),
    path(
        "portal/checkins/<int:checkin_id>/status.json",
        views.my_checkin_status,
        name="portal-status",
    ),
    path(
        "portal/checkins/<int:checkin_id>/stills/<slug:segment>.png",
        views.my_still_file,
        name="portal-still",
    ),
    path("clinic/checkins/", views.review_queue, name="review-queue"),
    path("clinic/checkins/<int:checkin_id>/", views.review_detail, name="review-detail"),
    path("clinic/checkins/<int:checkin_id>/reviewed/", views.mark_reviewed, name="mark-reviewed"),
    path(
        "clinic/checkins/<int:checkin_id>/annotated.png",
        views.annotated_file,
        name="annotated",
    ),
    path("clinic/checkins/<int:checkin_id>/message/", views.send_message, name="message-send"),
    path(
        "clinic/checkins/<int:checkin_id>/stills/<slug:segment>.png",
        views.still_file,
        name="still",
    ),
    path("clinic/patients/<int:patient_id>/wearing-off/", views.wearing_off, name="wearing-off"),
    path(
        "clinic/patients/<int:patient_id>/checkin-schedule/",
        views.schedule_edit,
        name="schedule-edit",
    ),
]
