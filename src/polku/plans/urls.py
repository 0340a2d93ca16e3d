from polku.plans.urls_links import urlpatterns as link_urls
from polku.plans.urls_plan import urlpatterns as plan_urls

app_name = "plans"

urlpatterns = [*plan_urls, *link_urls]
