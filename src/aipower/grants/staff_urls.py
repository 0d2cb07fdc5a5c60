"""The staff's usage overview, mounted at /staff/usage/."""

from django.urls import path

from . import staff_views

app_name = "grants_staff"

urlpatterns = [
    path("", staff_views.usage, name="usage"),
]
