from django.urls import path

from collis.providers import views

app_name = "providers"

urlpatterns = [
    path("", views.clinician_list, name="clinician-list"),
    path("<slug:slug>/", views.clinician_detail, name="clinician-detail"),
]
