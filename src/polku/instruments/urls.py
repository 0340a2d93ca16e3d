from django.urls import path

from polku.instruments import views

app_name = "instruments"
urlpatterns = [
    path("cases/<uuid:public_id>/questionnaires/", views.case_questionnaires, name="case"),
    path("cases/<uuid:public_id>/questionnaires/<slug:code>/", views.answer_new, name="answer"),
    path("questionnaire-responses/<uuid:public_id>/", views.response_page, name="response"),
    path("questionnaire-responses/<uuid:public_id>/correct/", views.correct, name="correct"),
    path("questionnaire-responses/<uuid:public_id>/fhir.json", views.response_fhir, name="response_fhir"),
    path("safety-alerts/<uuid:public_id>/acknowledge/", views.acknowledge_alert, name="acknowledge"),
    path("instruments/", views.instrument_list, name="list"),
    path("instruments/<slug:code>/fhir.json", views.instrument_fhir, name="fhir"),
]
