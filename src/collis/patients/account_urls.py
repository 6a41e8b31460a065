"""The ``accounts:`` URL namespace, whole: the sign-in pages of ``collis.accounts`` and the
account pages that need the patient record (``collis.patients.account_views``).

One URL namespace is one URLconf, so it is assembled here, on the floor that may import both.
"""

from django.urls import path

from collis.accounts import urls as sign_in_urls
from collis.patients import account_views as views

app_name = "accounts"

urlpatterns = [
    *sign_in_urls.urlpatterns,
    path("", views.account_home, name="home"),
    path("start/", views.start, name="start"),
    path("my-data.json", views.my_data_export, name="my-data-export"),
    path("privacy/", views.privacy_home, name="privacy"),
    path(
        "privacy/patients/<int:pk>/export.json",
        views.patient_data_export,
        name="patient-data-export",
    ),
    path(
        "privacy/patients/<int:pk>/anonymise/",
        views.patient_anonymise,
        name="patient-anonymise",
    ),
    path("patients/<int:pk>/invite/", views.patient_invite, name="patient-invite"),
    path("patients/<int:pk>/link/", views.patient_link, name="patient-link"),
]
