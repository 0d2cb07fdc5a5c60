"""The staff's personal-data request pages (mounted at /staff/privacy/)."""

from django.urls import path

from . import staff_views

app_name = "privacy_staff"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("new/", staff_views.new, name="new"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/state/", staff_views.transition, name="transition"),
    path("<int:pk>/correct/<int:application_id>/", staff_views.correct, name="correct"),
    path("<int:pk>/erase/", staff_views.erase, name="erase"),
    path("<int:pk>/copy.<str:fmt>", staff_views.copy_download, name="copy"),
]
