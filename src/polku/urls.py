from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("polku.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("polku.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("polku.api.urls")),
    path("admin/", admin.site.urls),
]
