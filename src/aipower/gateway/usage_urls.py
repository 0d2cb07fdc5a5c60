"""The request log's CSV, included under the usage page's URL (``/usage/<pk>/``) by
``grants.urls``, which names it as a string and does not import this app."""

from django.urls import path

from . import usage

urlpatterns = [
    path("requests.csv", usage.requests_csv, name="requests-csv"),
]
