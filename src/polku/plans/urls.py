from polku.plans.urls_plan import urlpatterns

app_name = "plans"

__all__ = ["app_name", "urlpatterns"]
