"""The company's deliverables pages (mounted at /deliverables/)."""

from django.urls import path

from . import views

app_name = "deliverables"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:award_id>/<slug:item>/", views.submit, name="submit"),
    path("files/<int:pk>/", views.download, name="download"),
]
