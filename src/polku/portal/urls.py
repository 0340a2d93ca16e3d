from django.urls import path

from polku.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("session-ended/", views.start, {"expired": True}, name="start_expired"),
    path("login/", views.login, name="login"),
    path("oidc/callback/", views.callback, name="callback"),
    path("oidc/jwks.json", views.jwks, name="jwks"),
    path("logout/", views.logout, name="logout"),
    path("logged-out/", views.logged_out, name="logged_out"),
    path("home/", views.home, name="home"),
]
urlpatterns += [
    path("consents/", views.consents, name="consents"),
    path("consents/new/", views.give_consent, name="give_consent"),
    path("consents/<uuid:public_id>/revoke/", views.revoke_consent, name="revoke_consent"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/pdf/", views.access_log_pdf, name="access_log_pdf"),
]
urlpatterns += [
    path("plan/", views.plan, name="plan"),
    path("plan/actions/<uuid:public_id>/", views.mark_action, name="mark_action"),
    path("plan/goals/<uuid:public_id>/rate/", views.rate_goal, name="rate_goal"),
]
urlpatterns += [
    path("messages/", views.messages_page, name="messages"),
]
urlpatterns += [
    path("accessibility/", views.accessibility, name="accessibility"),
]
urlpatterns += [
    path("feedback/", views.feedback, name="feedback"),
]
urlpatterns += [
    path("questionnaires/<uuid:public_id>/", views.questionnaire, name="questionnaire"),
]
urlpatterns += [
    path("plan/agree/<uuid:public_id>/", views.agree_plan, name="agree_plan"),
]
urlpatterns += [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/<uuid:public_id>/", views.my_data_page, name="my_data_page"),
    path("my-data/<uuid:public_id>/download.json", views.my_data_json, name="my_data_json"),
]
