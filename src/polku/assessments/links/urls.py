from django.urls import path

from polku.assessments.links import views as views

urlpatterns = [
    path(
        "assessment-recommendations/<uuid:public_id>/to-plan/",
        views.recommendation_to_plan,
        name="recommendation_to_plan",
    ),
]
