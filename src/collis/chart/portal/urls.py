from django.urls import path

from collis.chart.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("diary/", views.diary_list, name="diary-list"),
    path("diary/new/", views.diary_create, name="diary-create"),
    path("diary/<int:entry_id>/delete/", views.diary_delete, name="diary-delete"),
    path("programme/", views.programme, name="programme"),
    path("charts/", views.charts, name="charts"),
    path("side-effects/", views.side_effect_list, name="side-effect-list"),
    path("side-effects/new/", views.side_effect_report, name="side-effect-report"),
    path("side-effects/<int:report_id>/", views.side_effect_detail, name="side-effect-detail"),
    path("visits/<int:visit_id>/summary/", views.visit_summary, name="visit-summary"),
    path("visits/<int:visit_id>/summary.pdf", views.visit_summary_pdf, name="visit-summary-pdf"),
]
