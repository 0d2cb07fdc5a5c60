"""The company's productisation survey pages (mounted at /followup/)."""

from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("<int:round_id>/", views.survey, name="survey"),
]
