"""Re-running the conflict check when what it reads changes after a reviewer was assigned.

The check (``services.conflict_flag``) reads the reviewer's affiliations (``ReviewerProfile``)
and own company (``User.company``), the applicant's name (``Company.name``) and the
representatives of applications (``Application.data``, section ``profile``). Those change in the
admin, at a card login, or in the wizard, in apps below the review; the review listens to their
models' signals instead of being called by them. Each model remembers, when loaded, the value
the check reads, so a save that did not change it costs no query.
"""

from django.db.models.signals import post_init, post_save

from aipower.accounts.models import Company, User
from aipower.applications.models import Application

from . import services
from .models import Assignment, ReviewerProfile


def _representative(application):
    # Not ``application.data`` when the field was deferred: reading it would query.
    data = application.__dict__.get("data")
    if not isinstance(data, dict):
        return None
    return (data.get("profile") or {}).get("representative") or ""


WATCHED = {
    ReviewerProfile: lambda profile: profile.__dict__.get("affiliations"),
    User: lambda user: user.__dict__.get("company_id"),
    Company: lambda company: company.__dict__.get("name"),
    Application: _representative,
}


def remember(sender, instance, **kwargs):
    instance._conflict_input = WATCHED[sender](instance)


def _changed(sender, instance, created, raw):
    if raw:
        return False
    now = WATCHED[sender](instance)
    before = getattr(instance, "_conflict_input", None)
    instance._conflict_input = now
    return bool(now) and (created or now != before)


def profile_saved(sender, instance, created, raw=False, **kwargs):
    if _changed(sender, instance, created, raw):
        services.recheck_conflicts(
            Assignment.objects.filter(reviewer_id=instance.user_id), cause="reviewer_profile"
        )


def user_saved(sender, instance, created, raw=False, **kwargs):
    if _changed(sender, instance, created, raw) and not instance.is_company:
        services.recheck_conflicts(
            Assignment.objects.filter(reviewer=instance), cause="reviewer_company"
        )


def company_saved(sender, instance, created, raw=False, **kwargs):
    if _changed(sender, instance, created, raw) and not created:
        services.recheck_conflicts(
            Assignment.objects.filter(application__company=instance), cause="company_name"
        )


def application_saved(sender, instance, created, raw=False, **kwargs):
    """The application's own representative (the check compares it with the reviewers'
    affiliations), and — as a company's representative — that of every applicant whose
    reviewer is affiliated with this company by 統一編號 (04-review: a company sharing the same
    representative)."""
    if not _changed(sender, instance, created, raw):
        return
    ubn = Company.objects.values_list("ubn", flat=True).get(pk=instance.company_id)
    open_reviewers = services.open_unconflicted_assignments().values("reviewer_id")
    affiliated = [
        profile.user_id
        for profile in ReviewerProfile.objects.filter(user_id__in=open_reviewers)
        if any(services.comparable(line) == ubn for line in profile.affiliation_lines())
    ]
    services.recheck_conflicts(
        Assignment.objects.filter(application=instance)
        | Assignment.objects.filter(reviewer_id__in=affiliated),
        cause="representative",
    )


def connect():
    for model in WATCHED:
        post_init.connect(remember, sender=model, dispatch_uid=f"review.conflict.{model.__name__}")
    post_save.connect(profile_saved, sender=ReviewerProfile, dispatch_uid="review.conflict.profile")
    post_save.connect(user_saved, sender=User, dispatch_uid="review.conflict.user")
    post_save.connect(company_saved, sender=Company, dispatch_uid="review.conflict.company")
    post_save.connect(
        application_saved, sender=Application, dispatch_uid="review.conflict.application"
    )
