from django.urls import path

from collis.diary import views

app_name = "diary"

urlpatterns = [
    path("patients/<int:patient_id>/programme/", views.programme_edit, name="programme-edit"),
]
