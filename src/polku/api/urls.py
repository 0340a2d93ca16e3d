from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from polku.api import views
from polku.insights import api as insights
from polku.instruments import api as instruments

app_name = "api"
urlpatterns = [
    path("v1/me/", views.me, name="me"),
    path("v1/instruments/<slug:code>/questionnaire/", instruments.questionnaire, name="questionnaire"),
    path(
        "v1/questionnaire-responses/<uuid:public_id>/",
        instruments.questionnaire_response,
        name="questionnaire_response",
    ),
    path("v1/insights/<slug:table>/", insights.figure_table, name="insights_table"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
