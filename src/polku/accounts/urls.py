from django.urls import path

from polku.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("role/", views.choose_membership, name="choose_membership"),
]
