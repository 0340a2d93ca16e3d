from django.urls import path

from polku.placements import feedback_views, views

app_name = "placements"

urlpatterns = [
    path("cases/<uuid:public_id>/placements/new/", views.placement_new, name="new"),
    path("placements/hosted/", views.hosted, name="hosted"),
    path("placements/of/<uuid:public_id>/", views.client_placements, name="client_placements"),
    path("placements/<uuid:public_id>/", views.placement_detail, name="detail"),
    path("placements/<uuid:public_id>/edit/", views.placement_edit, name="edit"),
    path("placements/<uuid:public_id>/interrupt/", views.placement_interrupt, name="interrupt"),
    path("placements/<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("placements/<uuid:public_id>/feedback/send/", views.send_feedback, name="send_feedback"),
    path("placements/<uuid:public_id>/feedback/host/", views.host_feedback, name="host_feedback"),
    # Public: the host's supervisor answers without an account.
    path("feedback/form/", feedback_views.feedback_form, name="feedback_form"),
    path("feedback/thanks/", feedback_views.feedback_thanks, name="feedback_thanks"),
    path("feedback/<str:token>/", feedback_views.feedback_link, name="feedback_link"),
]
