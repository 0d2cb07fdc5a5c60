"""URLs of the review app, mounted at /staff/review/."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("mine/affiliations/", views.affiliations, name="affiliations"),
    path("audit/", views.audit_log, name="audit"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/freeze/", views.batch_freeze, name="batch_freeze"),
    path("batch/<int:pk>/remind/", views.batch_remind, name="batch_remind"),
    path("batch/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("batch/<int:pk>/meeting.csv", views.meeting_csv, name="meeting_csv"),
    path("batch/<int:pk>/meeting.xlsx", views.meeting_xlsx, name="meeting_xlsx"),
    path("batch/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("batch/<int:pk>/award-start/", views.batch_award_start, name="batch_award_start"),
    path("application/<int:pk>/", views.application_detail, name="application"),
    path(
        "application/<int:pk>/eligibility/",
        views.application_eligibility,
        name="application_eligibility",
    ),
    path(
        "application/<int:pk>/startup-priority/",
        views.application_startup_priority,
        name="application_startup_priority",
    ),
    path("application/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path("application/<int:pk>/decision/", views.application_decision, name="application_decision"),
    path("application/<int:pk>/override/", views.application_override, name="application_override"),
    path(
        "application/<int:pk>/send-back/",
        views.application_send_back,
        name="application_send_back",
    ),
    path("application/<int:pk>/print/", views.application_print, name="application_print"),
    path("application/<int:pk>/pdf/", views.application_pdf, name="application_pdf"),
    path("assignment/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignment/<int:pk>/reopen/", views.assignment_reopen, name="assignment_reopen"),
    path(
        "assignment/<int:pk>/clear-flag/",
        views.assignment_clear_flag,
        name="assignment_clear_flag",
    ),
    path("assignment/<int:pk>/unassign/", views.assignment_unassign, name="assignment_unassign"),
]
