from django.urls import path

from polku.screening import views

app_name = "screening"
urlpatterns = [
    path("needs/<uuid:public_id>/act/", views.act_on_need, name="act"),
    path("needs/<uuid:public_id>/dismiss/", views.dismiss_need, name="dismiss"),
]
