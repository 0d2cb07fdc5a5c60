"""Seams through which the review app extends the applicant's pages.

``applications`` sits below ``review`` in the import chain, so it never imports it; instead the
review app installs its functions here when it is ready (``review.apps.ReviewConfig.ready``).
Until then (or without the review app) there is no open supplement and nothing to add.
"""


def _no_steps(app):
    return ()


def _no_resubmission(app, user, request=None):
    raise NotImplementedError("the review app is not installed")


def _nothing(app):
    return {}


# Which wizard pages an open supplement request (補件) lets the applicant edit.
supplement_steps = _no_steps
# Re-submit after a supplement: moves the application on; raises ApplicationError if refused.
resubmit_supplement = _no_resubmission
# Extra context for the dashboard (the open supplement request, the award, messages).
dashboard_context = _nothing


def install(*, steps=None, resubmit=None, dashboard=None):
    global supplement_steps, resubmit_supplement, dashboard_context
    supplement_steps = steps or supplement_steps
    resubmit_supplement = resubmit or resubmit_supplement
    dashboard_context = dashboard or dashboard_context
