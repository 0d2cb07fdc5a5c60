"""Seams through which the review and privacy apps extend the applicant's pages and mail.

``applications`` sits below ``review`` and ``privacy`` in the import chain, so it never imports
them; instead they install their functions here when they are ready (``ReviewConfig.ready``,
``PrivacyConfig.ready``). Until then (or without them) there is no open supplement, nothing to
add, and no address withheld from mail.
"""

from aipower.calls.services import next_batch


def _no_steps(app):
    return ()


def _no_resubmission(app, user, request=None):
    raise NotImplementedError("the review app is not installed")


def _nothing(app):
    return {}


def _no_addresses(company_id):
    return frozenset()


# Which wizard pages an open supplement request (補件) lets the applicant edit.
supplement_steps = _no_steps
# Re-submit after a supplement: moves the application on; raises ApplicationError if refused.
resubmit_supplement = _no_resubmission
# Extra context for the dashboard (the open supplement request, the award, messages).
dashboard_context = _nothing
# The company's contact addresses that must not be mailed (lower case): a data subject's
# accepted request to stop the use of their personal data.
withheld_addresses = _no_addresses
# The batch an application submitted at ``now`` joins (``batch_for(category, now)``): the first
# whose cut-off has not passed — and, once the review is installed, that is not frozen yet.
batch_for = next_batch


def install(*, steps=None, resubmit=None, dashboard=None, withheld=None, batch=None):
    global supplement_steps, resubmit_supplement, dashboard_context, withheld_addresses
    global batch_for
    supplement_steps = steps or supplement_steps
    resubmit_supplement = resubmit or resubmit_supplement
    dashboard_context = dashboard or dashboard_context
    withheld_addresses = withheld or withheld_addresses
    batch_for = batch or batch_for
