from django.urls import path

from polku.network import views

app_name = "network"

urlpatterns = [
    path("services/", views.catalogue, name="catalogue"),
    path("services/hsds.json", views.hsds_download, name="hsds"),
    path("services/<uuid:public_id>/", views.service_detail, name="detail"),
    path("cases/<uuid:public_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/incoming/", views.incoming, name="incoming"),
    path("referrals/of/<uuid:public_id>/", views.client_referrals, name="client_referrals"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("referrals/<uuid:public_id>/<slug:status>/", views.referral_move, name="referral_move"),
]
