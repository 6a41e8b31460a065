"""``/o/``: the OAuth 2.0 / OpenID Connect server (django-oauth-toolkit) with SMART's own
consent screen and token endpoint in front of it."""

from django.urls import include, path
from oauth2_provider import urls as oauth_urls

from collis.interop.smart import views

# SMART uses the authorization code (+ PKCE) and client credentials flows only: the device
# flow's pages (device-authorization/, device/, device-confirm/, device-grant-status/) that
# django-oauth-toolkit 3 adds to base_urlpatterns are not mounted, so they are no attack surface.
_DEVICE_FLOW = {"device-authorization", "device", "device-confirm", "device-grant-status"}
_oauth_patterns = [p for p in oauth_urls.base_urlpatterns if p.name not in _DEVICE_FLOW]

urlpatterns = [
    path("authorize/", views.SmartAuthorizationView.as_view(), name="smart-authorize"),
    path("token/", views.token, name="smart-token"),
    path("launch/<str:client_id>/<int:patient_id>/", views.ehr_launch, name="smart-ehr-launch"),
    path(
        "",
        include(
            (_oauth_patterns + oauth_urls.oidc_urlpatterns, "oauth2_provider"),
            namespace="oauth2_provider",
        ),
    ),
]
