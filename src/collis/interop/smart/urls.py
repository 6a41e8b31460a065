"""``/o/``: the OAuth 2.0 / OpenID Connect server (django-oauth-toolkit) with SMART's own
consent screen and token endpoint in front of it."""

from django.urls import include, path
from oauth2_provider import urls as oauth_urls

from collis.interop.smart import views

urlpatterns = [
    path("authorize/", views.SmartAuthorizationView.as_view(), name="smart-authorize"),
    path("token/", views.token, name="smart-token"),
    path("launch/<str:client_id>/<int:patient_id>/", views.ehr_launch, name="smart-ehr-launch"),
    path(
        "",
        include(
            (oauth_urls.base_urlpatterns + oauth_urls.oidc_urlpatterns, "oauth2_provider"),
            namespace="oauth2_provider",
        ),
    ),
]
