"""The operator's deliverables pages (mounted at /staff/deliverables/)."""

from django.urls import path

from . import staff_views

app_name = "deliverables_staff"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("print/", staff_views.printable, name="print"),
    path("export.csv", staff_views.export_csv, name="csv"),
    path("<int:award_id>/", staff_views.detail, name="detail"),
    path("<int:award_id>/attendance/", staff_views.record_attendance, name="attendance"),
    path("files/<int:pk>/", staff_views.download, name="download"),
]
