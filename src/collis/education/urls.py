from django.urls import path

from collis.education import views

app_name = "education"

urlpatterns = [
    path("", views.page_list, name="page-list"),
    path("<slug:slug>/", views.page_detail, name="page-detail"),
]
