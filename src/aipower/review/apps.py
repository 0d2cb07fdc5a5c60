"""The review app: eligibility review, supplements, scoring, the meeting and the awards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "aipower.review"
    verbose_name = _("審查與核定")

    def ready(self):
        # The applicant's pages (applications) reach the review only through these seams.
        from aipower.applications import hooks

        from . import receivers, services

        hooks.install(
            steps=services.requested_steps,
            resubmit=services.resubmit_for_applicant,
            dashboard=services.applicant_dashboard,
            batch=services.open_batch,
        )
        # The conflict check runs again when what it reads changes after an assignment.
        receivers.connect()
