from django.urls import path

from collis.supply import views

app_name = "supply"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("receive/", views.receive, name="receive"),
    path("lots/<int:lot_id>/", views.lot_detail, name="lot-detail"),
    path("lots/<int:lot_id>/adjust/", views.lot_adjust, name="lot-adjust"),
    path("lots/<int:lot_id>/count/", views.lot_count, name="lot-count"),
    path("lots/<int:lot_id>/transfer/", views.lot_transfer, name="lot-transfer"),
    path("lots/<int:lot_id>/recall/", views.lot_recall, name="lot-recall"),
    path("vials/open/", views.vial_open, name="vial-open"),
    path("vials/<int:vial_id>/close/", views.vial_close, name="vial-close"),
    path("sessions/<int:session_id>/", views.session_supply, name="session"),
    path("claims/", views.claims_day, name="claims-day"),
    path("claims.csv", views.claims_csv, name="claims-csv"),
    path("authorisations/", views.authorisation_list, name="authorisations"),
    path("authorisations/new/", views.authorisation_create, name="authorisation-create"),
    path("reports/", views.report, name="report"),
    path("policy/", views.policy, name="policy"),
]
