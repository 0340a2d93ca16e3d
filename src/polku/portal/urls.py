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
    path("consents/<uuid:public_id>/revoke/", views.revoke_consent, name="revoke_consent"),
    path("access-log/", views.access_log, name="access_log"),
]
