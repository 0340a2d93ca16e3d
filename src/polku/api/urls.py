from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from polku.api import views

app_name = "api"
urlpatterns = [
    path("v1/me/", views.me, name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
