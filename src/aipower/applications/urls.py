"""The application wizard and the applicant's dashboard."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("supplement/resubmit/", views.resubmit, name="resubmit"),
    path("step/<slug:identifier>/", views.step_view, name="step"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/view/", views.printable, name="view"),
]
