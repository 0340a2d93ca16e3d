from django.urls import path

from polku.intake import views

app_name = "intake"
urlpatterns = [
    path("extracts/", views.extracts, name="extracts"),
    path("extracts/<uuid:public_id>/", views.extract_detail, name="extract"),
    path("extracts/<uuid:public_id>/problems.csv", views.extract_problems, name="problems"),
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/<uuid:public_id>/contacted/", views.contacted, name="contacted"),
    path("worklist/<uuid:public_id>/not-relevant/", views.not_relevant, name="not_relevant"),
]
