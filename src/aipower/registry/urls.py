"""Staff pages of the company registry (mounted at /staff/registry/)."""

from django.urls import path
from django.views.generic import RedirectView

from . import upload_views, views

app_name = "registry"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:company_search"), name="index"),
    path("companies/", views.company_search, name="company_search"),
    path("companies/<str:ubn>/", views.company, name="company"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("imports/", upload_views.imports, name="imports"),
    path("imports/<int:pk>/", upload_views.import_job, name="import_job"),
    path("imports/<int:pk>/status/", upload_views.import_status, name="import_status"),
]
