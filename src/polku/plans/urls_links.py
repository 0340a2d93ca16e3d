from django.urls import path

from polku.plans.views import links as views

urlpatterns = [
    path(
        "assessment-recommendations/<uuid:public_id>/to-plan/",
        views.recommendation_to_plan,
        name="recommendation_to_plan",
    ),
]
