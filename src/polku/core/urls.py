from django.urls import path

from polku.core import views

app_name = "core"
urlpatterns = [
    path("healthz/", views.health, name="health"),
]
