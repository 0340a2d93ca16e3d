from django.urls import path

from polku.assessments import views
from polku.assessments.links.urls import urlpatterns as link_urls

app_name = "assessments"

urlpatterns = [
    path("assessments/start/<uuid:public_id>/", views.assessment_start, name="assessment_start"),
    path("assessments/<uuid:public_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<uuid:public_id>/invite/", views.assessment_invite, name="assessment_invite"),
    path("assessments/<uuid:public_id>/findings/new/", views.assessment_finding, name="assessment_finding"),
    path("assessments/<uuid:public_id>/meeting/", views.assessment_meeting, name="assessment_meeting"),
    path("assessments/<uuid:public_id>/conclude/", views.assessment_conclude, name="assessment_conclude"),
    path("assessments/<uuid:public_id>/addenda/new/", views.assessment_addendum, name="assessment_addendum"),
    path("assessments/<uuid:public_id>/summary.pdf", views.assessment_summary_pdf, name="assessment_pdf"),
    *link_urls,
]
