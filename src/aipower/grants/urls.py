"""URLs of the grants app, mounted at /usage/: the company's usage pages and the cluster API."""

from django.urls import include, path

from . import api, views

app_name = "grants"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/usage.csv", views.usage_csv, name="csv"),
    # The API's request log (grants:requests-csv), named by string: grants does not import it.
    path("<int:pk>/", include("aipower.gateway.usage_urls")),
    path("api/gpu/jobs", api.ingest_jobs, name="api-gpu-jobs"),
    path("api/gpu/accounts", api.export_accounts, name="api-gpu-accounts"),
    path("api/openapi.json", api.openapi, name="api-openapi"),
]
