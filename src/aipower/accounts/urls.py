"""Company sign-in with the business certificate card, and the environment check."""

from django.urls import path

from . import idle
from .views import card

app_name = "accounts"

urlpatterns = [
    path("envcheck/", card.envcheck, name="envcheck"),
    path("login/", card.login_page, name="login"),
    path("login/challenge/", card.new_challenge, name="challenge"),
    path("login/verify/", card.verify, name="verify"),
    path("company/", card.company, name="company"),
    path("logout/", card.logout_view, name="logout"),
    path("session/", idle.status, name="session_status"),
    path("session/keep-alive/", idle.keep_alive, name="session_keep_alive"),
]
