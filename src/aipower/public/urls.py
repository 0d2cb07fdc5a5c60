"""The public site: home, announcements, the application guide, the site map, results."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("guide/", views.guide, name="guide"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("results/", views.results, name="results"),
    path("favicon.ico", views.favicon, name="favicon"),
]
