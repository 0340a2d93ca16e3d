from django.urls import path

from polku.plans import views

urlpatterns = [
    path("cases/<uuid:public_id>/plan/", views.case_plan, name="case_plan"),
    path("cases/<uuid:public_id>/plan/start/", views.start_plan, name="start_plan"),
    path("service-plans/<uuid:public_id>/revise/", views.plan_revise, name="revise"),
    path("service-plans/<uuid:public_id>/reviews/new/", views.review_new, name="review_new"),
    path("plan-versions/<uuid:public_id>/", views.version_detail, name="version"),
    path("plan-versions/<uuid:public_id>/settings/", views.draft_settings, name="draft_settings"),
    path("plan-versions/<uuid:public_id>/goals/new/", views.goal_new, name="goal_new"),
    path("plan-versions/<uuid:public_id>/agree/", views.plan_agree, name="agree"),
    path("plan-versions/<uuid:public_id>/changes/", views.version_changes, name="changes"),
    path("plan-versions/<uuid:public_id>/plan.pdf", views.version_pdf, name="pdf"),
    path("plan-goals/<uuid:public_id>/edit/", views.goal_edit, name="goal_edit"),
    path("plan-goals/<uuid:public_id>/remove/", views.goal_remove, name="goal_remove"),
    path("plan-goals/<uuid:public_id>/actions/new/", views.action_new, name="action_new"),
    path("plan-actions/<uuid:public_id>/edit/", views.action_edit, name="action_edit"),
    path("plan-actions/<uuid:public_id>/remove/", views.action_remove, name="action_remove"),
    path("plan-actions/<uuid:public_id>/progress/", views.action_progress, name="action_progress"),
    path("plan-reviews/<uuid:public_id>/", views.review_detail, name="review"),
]
