"""The application wizard and the applicant's dashboard.

A wizard page is ``<pk>/step/<identifier>/`` (the application it edits named in the URL) or,
for the current call's application, the short ``step/<identifier>/`` (see ``views``)."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("supplement/resubmit/", views.resubmit, name="resubmit"),
    path("step/<slug:identifier>/", views.step_view, name="step"),
    path("<int:pk>/step/<slug:identifier>/", views.application_step_view, name="app_step"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/view/", views.printable, name="view"),
]
