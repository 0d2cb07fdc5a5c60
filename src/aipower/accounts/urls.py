"""Company sign-in with the business certificate card, and the environment check."""

from django.urls import path

from .views import card

app_name = "accounts"

urlpatterns = [
    path("envcheck/", card.envcheck, name="envcheck"),
    path("login/", card.login_page, name="login"),
    path("login/challenge/", card.new_challenge, name="challenge"),
    path("login/verify/", card.verify, name="verify"),
    path("company/", card.company, name="company"),
    path("logout/", card.logout_view, name="logout"),
]
