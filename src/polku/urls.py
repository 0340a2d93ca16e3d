from django.contrib import admin
from django.urls import include, path

from polku.core import views as core_views

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", core_views.favicon),
    path("", include("polku.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("polku.accounts.urls")),
    path("", include("polku.clients.urls")),
    path("", include("polku.screening.urls")),
    path("intake/", include("polku.intake.urls")),
    path("", include("polku.instruments.urls")),
    path("", include("polku.assessments.urls")),
    path("", include("polku.plans.urls")),
    path("", include("polku.network.urls")),
    path("", include("polku.placements.urls")),
    path("", include("polku.employment.urls")),
    path("insights/", include("polku.insights.urls")),
    path("portal/", include("polku.portal.urls")),
    path("", include("polku.portal.urls_staff")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("polku.api.urls")),
    path("admin/", admin.site.urls),
]
