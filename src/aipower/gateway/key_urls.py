"""The company's API key pages; the project mounts them at ``keys/``."""

from django.urls import path

from . import guide_views, key_views

app_name = "keys"

urlpatterns = [
    path("", key_views.key_list, name="list"),
    path("new/", key_views.key_create, name="create"),
    path("guide/", guide_views.api_guide, name="guide"),
    path("<int:pk>/revoke/", key_views.key_revoke, name="revoke"),
]
