from django.urls import path

from polku.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/<slug:table>.<str:fmt>", views.download, name="download"),
    path("definitions/", views.definition_list, name="definitions"),
    path("definitions/<slug:key>/", views.definition, name="definition"),
    path("situation/", views.situation_page, name="situation"),
    path("situation/report.<str:fmt>", views.situation_download, name="situation_download"),
    path("costs/", views.cost_page, name="costs"),
    path("research-extract/", views.research_extract, name="extract"),
    path("targets/", views.target_list, name="targets"),
    path("targets/<int:pk>/remove/", views.target_delete, name="target_delete"),
]
