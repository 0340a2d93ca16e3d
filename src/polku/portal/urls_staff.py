"""The team's side of the client's messages (under /clients/, a staff address)."""

from django.urls import path

from polku.portal import views

app_name = "portal_staff"
urlpatterns = [
    path("clients/cases/<uuid:public_id>/messages/", views.answer_message, name="answer_message"),
    path(
        "clients/cases/<uuid:public_id>/questionnaires/",
        views.request_questionnaire,
        name="request_questionnaire",
    ),
    path("clients/plan-versions/<uuid:public_id>/ask-client/", views.ask_to_agree, name="ask_to_agree"),
]
