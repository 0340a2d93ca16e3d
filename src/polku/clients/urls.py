from django.urls import path

from polku.clients import case_views, caseload_views, views

app_name = "clients"
urlpatterns = [
    path("caseload/", caseload_views.caseload, name="caseload"),
    path("caseload/search/", caseload_views.search, name="search"),
    path("clients/new/", views.client_new, name="new"),
    path("clients/<uuid:public_id>/", views.client_detail, name="detail"),
    path("clients/<uuid:public_id>/edit/", views.client_edit, name="edit"),
    path("clients/<uuid:public_id>/identity-code/", views.reveal_identity_code, name="identity_code"),
    path("clients/<uuid:public_id>/break-the-glass/", views.break_glass, name="break_glass"),
    path("clients/<uuid:public_id>/access-report/", views.access_report, name="access_report"),
    path("clients/<uuid:public_id>/export/", views.export_html, name="export"),
    path("clients/<uuid:public_id>/export.json", views.export_json, name="export_json"),
    path("clients/<uuid:public_id>/cases/new/", case_views.open_case, name="open_case"),
    path(
        "clients/<uuid:public_id>/cases/new-after-break-the-glass/",
        case_views.open_case_from_break_glass,
        name="open_case_from_break_glass",
    ),
    path("clients/<uuid:public_id>/consents/new/", case_views.record_consent, name="record_consent"),
    path("consents/<uuid:public_id>/revoke/", case_views.revoke_consent, name="revoke_consent"),
    path("cases/<uuid:public_id>/status/", case_views.change_status, name="change_status"),
    path("cases/<uuid:public_id>/close/", case_views.close_case, name="close_case"),
    path("cases/<uuid:public_id>/hand-over/", case_views.hand_over, name="hand_over"),
    path("cases/<uuid:public_id>/next-step/", case_views.next_step, name="next_step"),
    path("cases/<uuid:public_id>/team/add/", case_views.add_team_member, name="add_team_member"),
    path("team/<uuid:public_id>/end/", case_views.end_team_membership, name="end_team_membership"),
    path("cases/<uuid:public_id>/contacts/new/", case_views.record_contact, name="record_contact"),
]
