"""The company's personal-data page (mounted at /privacy/)."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/<int:pk>/copy.<str:fmt>", views.copy_download, name="copy"),
]
