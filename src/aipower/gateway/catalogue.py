"""Who a catalogue model's withdrawal touches: the applications in progress that chose it and the
awards whose service may still use it. A model disabled or prohibited leaves the wizard's
choices (an application keeping it is refused on its next save) and the gateway's routes at
once, so the catalogue's admin names them before it saves and audits how many there were
(``admin.CatalogueModelAdmin``)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class Users:
    applications: list = field(default_factory=list)
    awards: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.applications or self.awards)

    def names(self):
        """Each as the operator knows it: its number and the company's name."""
        shown = [f"{app.number} {app.company.name}" for app in self.applications]
        shown += [
            _("%(number)s %(company)s（核定）")
            % {"number": award.application.number, "company": award.company.name}
            for award in self.awards
        ]
        return shown

    def counts(self):
        return {
            "applications": [app.number for app in self.applications],
            "awards": [award.application.number for award in self.awards],
            "application_count": len(self.applications),
            "award_count": len(self.awards),
        }


def offered(model):
    """Whether the wizard and the gateway offer ``model`` (its stored or its edited values)."""
    return model.enabled and not model.prohibited


def users_of(model, today=None):
    """The applications sent and not yet settled (from 已送出 to 審查會議已決議) that chose
    ``model``, and the awards allowed it whose service is not over (it may still use the model,
    exhausted points being topped up) — in number order."""
    from aipower.applications.enums import ApplicationState
    from aipower.applications.models import Application
    from aipower.grants.models import AllowanceState
    from aipower.review.models import Award

    if model.pk is None:
        return Users()
    today = today or timezone.localdate()
    settled = [
        ApplicationState.DRAFT,
        ApplicationState.NOT_ACCEPTED,
        ApplicationState.INELIGIBLE,
        ApplicationState.NOT_APPROVED,
        ApplicationState.APPROVED,  # its award, if still in use, is listed below
    ]
    applications = _choosing(
        model, Application.objects.filter(call_id=model.call_id).exclude(state__in=settled)
    )
    awards = list(
        Award.objects.filter(allowed_models=model, ends_on__gte=today)
        .exclude(allowance__state__in=[AllowanceState.ENDED, AllowanceState.EXPIRED])
        .select_related("application", "company")
        .order_by("application__number", "pk")
    )
    return Users(applications, awards)


def chosen_by_name(model):
    """Every application of ``model``'s call whose answers name it (any state, drafts too): the
    wizard stores a chosen model by its display name, so a renamed model no longer matches them
    (the submitted versions and printed applications name it as it was). ``model`` as stored:
    the admin's form asks before it copies the edited name onto it."""
    from aipower.applications.models import Application

    if model.pk is None:
        return []
    return _choosing(model, Application.objects.filter(call_id=model.call_id))


def _choosing(model, applications):
    """Those of ``applications`` whose answers chose ``model``, in number order."""
    from aipower.review.services import chosen_models

    return [
        app
        for app in applications.select_related("company").order_by("number", "pk")
        if model.display_name in chosen_models(app)
    ]
