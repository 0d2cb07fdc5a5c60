"""Staff sign-in (username, password, TOTP), the staff home page, and staff accounts."""

from django.urls import path

from .views import staff, staff_accounts

app_name = "staff"

urlpatterns = [
    path("login/", staff.login_view, name="login"),
    path("logout/", staff.logout_view, name="logout"),
    path("login/forgot/", staff_accounts.forgot_password, name="forgot_password"),
    path("password/", staff_accounts.password_change, name="password_change"),
    path("enrol/<str:token>/", staff_accounts.enrol, name="enrol"),
    path("accounts/", staff_accounts.accounts, name="accounts"),
    path(
        "accounts/<int:pk>/<slug:action>/",
        staff_accounts.account_action,
        name="account_action",
    ),
    path("", staff.home, name="home"),
]
