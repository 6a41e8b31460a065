from django.urls import path

from collis.recordings import views

app_name = "recordings"

urlpatterns = [
    path("visits/<int:visit_id>/recordings/new/", views.recording_create, name="recording-create"),
    path("recordings/<int:recording_id>/", views.recording_detail, name="recording-detail"),
    path(
        "recordings/<int:recording_id>/status.json",
        views.recording_status,
        name="recording-status",
    ),
    path("recordings/<int:recording_id>/original", views.original_file, name="recording-original"),
    path(
        "recordings/<int:recording_id>/annotated.png",
        views.annotated_file,
        name="recording-annotated",
    ),
    path(
        "recordings/<int:recording_id>/delete-original/",
        views.original_delete,
        name="recording-delete-original",
    ),
    path("recordings/<int:recording_id>/retry/", views.recording_retry, name="recording-retry"),
    path(
        "recordings/<int:recording_id>/neutral/",
        views.recording_neutral,
        name="recording-neutral",
    ),
]
