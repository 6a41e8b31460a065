"""Top-level URL map: the public site, the staff admin, the portal and the API."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from collis import views
from collis.api.api import api
from collis.ops import views as ops_views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", ops_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (admin, error pages).
    path(
        "favicon.ico",
        # Lazy: the hashed name exists only after collectstatic, not when URLs are imported.
        RedirectView.as_view(url=lazy(static, str)("collis/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("readyz", ops_views.readyz, name="readyz"),
    path("conditions/", include("collis.education.urls")),
    path("providers/", include("collis.providers.urls")),
    path("accounts/", include("collis.patients.account_urls")),
    path("audit/", include("collis.ops.audit_urls")),
    path("clinic/", include("collis.chart.urls")),
    path("clinic/", include("collis.scales.urls")),
    path("clinic/", include("collis.injections.urls")),
    path("clinic/", include("collis.diary.urls")),
    path("clinic/", include("collis.recordings.urls")),
    path("supply/", include("collis.supply.urls")),
    path("", include("collis.checkins.urls")),
    path("portal/", include("collis.chart.portal.urls")),
    path("", include("collis.scheduling.urls")),
    path("api/", api.urls),
    path("fhir/", include("collis.interop.fhir.urls")),
    path("o/", include("collis.interop.smart.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "collis.views.page_not_found"
handler500 = "collis.views.server_error"

admin.site.site_header = "Collis clinic administration"
admin.site.site_title = "Collis admin"
admin.site.index_title = "Clinic back office"
