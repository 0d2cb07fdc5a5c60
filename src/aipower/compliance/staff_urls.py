"""The operator's compliance pages (mounted at /staff/compliance/)."""

from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.record, name="record"),
    path("export.csv", views.export_csv, name="csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reinstate/", views.reinstate, name="reinstate"),
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/<int:pk>/", views.check_pledge, name="check_pledge"),
]
