"""The staff's mail log (mounted at /staff/mail/)."""

from django.urls import path

from . import staff_views

app_name = "mail_staff"
urlpatterns = [
    path("", staff_views.mail_list, name="index"),
    path("<int:pk>/", staff_views.mail_detail, name="detail"),
    path("<int:pk>/resend/", staff_views.mail_resend, name="resend"),
]
