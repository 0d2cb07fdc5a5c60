"""Staff sign-in (username, password, TOTP) and the staff home page."""

from django.urls import path

from .views import staff

app_name = "staff"

urlpatterns = [
    path("login/", staff.login_view, name="login"),
    path("logout/", staff.logout_view, name="logout"),
    path("", staff.home, name="home"),
]
