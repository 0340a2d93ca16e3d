from django.urls import path

from polku.employment import views

app_name = "employment"

urlpatterns = [
    path("cases/<uuid:public_id>/ips/enter/", views.ips_enter, name="enter"),
    path("ips/", views.caseload, name="caseload"),
    path("ips/unit/", views.unit, name="unit"),
    path("ips/coaches/<uuid:public_id>/fte/", views.coach_fte, name="coach_fte"),
    path("ips/periods/<uuid:public_id>/", views.period_detail, name="period"),
    path("ips/periods/<uuid:public_id>/phase/", views.period_phase, name="phase"),
    path("ips/periods/<uuid:public_id>/profile/", views.profile_edit, name="profile"),
    path("ips/periods/<uuid:public_id>/counselling/", views.counselling_new, name="counselling"),
    path("ips/periods/<uuid:public_id>/jobs/new/", views.job_start, name="job_start"),
    path("ips/periods/<uuid:public_id>/follow-along/", views.follow_along_new, name="follow_along"),
    path("ips/periods/<uuid:public_id>/matches/", views.matches, name="matches"),
    path("ips/jobs/<uuid:public_id>/end/", views.job_end, name="job_end"),
    path("ips/employers/", views.employers, name="employers"),
    path("ips/employers/new/", views.employer_new, name="employer_new"),
    path("ips/employers/<uuid:public_id>/", views.employer_detail, name="employer"),
    path("ips/employers/<uuid:public_id>/workplaces/new/", views.workplace_new, name="workplace_new"),
    path("ips/employers/<uuid:public_id>/people/new/", views.contact_person_new, name="contact_person_new"),
    path(
        "ips/employers/<uuid:public_id>/contacts/new/",
        views.employer_contact_new,
        name="employer_contact_new",
    ),
    path("ips/employers/<uuid:public_id>/openings/new/", views.opening_new, name="opening_new"),
    path("ips/openings/", views.openings, name="openings"),
    path("ips/openings/<uuid:public_id>/", views.opening_detail, name="opening"),
    path("ips/openings/<uuid:public_id>/edit/", views.opening_edit, name="opening_edit"),
    path("ips/fidelity/", views.fidelity, name="fidelity"),
    path("ips/fidelity/new/", views.review_new, name="review_new"),
    path("ips/fidelity/<uuid:public_id>/", views.review_detail, name="review"),
]
