"""The grants app: the points ledger, GPU-hour metering and the company's usage pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "aipower.grants"
    verbose_name = _("算力點數")

    def ready(self):
        # The review workflow announces each award; until its signal module exists there is
        # nothing to connect (review calls services.open_allowance directly instead).
        try:
            from aipower.review.signals import award_created
        except ImportError:
            return
        from .receivers import on_award_created

        award_created.connect(on_award_created, dispatch_uid="grants.open_allowance")
