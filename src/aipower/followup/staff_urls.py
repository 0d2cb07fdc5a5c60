"""The operator's productisation survey pages (mounted at /staff/followup/)."""

from django.urls import path

from . import staff_views

app_name = "followup_staff"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("new/", staff_views.open_round, name="open"),
    path("<int:round_id>/", staff_views.round_detail, name="round"),
    path("<int:round_id>/edit/", staff_views.change_round, name="change"),
    path("<int:round_id>/print/", staff_views.printable, name="print"),
    path("<int:round_id>/export.csv", staff_views.export_csv, name="csv"),
    path("<int:round_id>/<int:award_id>/", staff_views.response_detail, name="response"),
]
