"""Permission predicates: what each staff role may do, in one place.

Each predicate takes a user and answers one question. The role sets beside them are what views
pass to ``staff_required``, e.g. ``@staff_required(*rules.CALL_MANAGERS)``, so that the decorator
and the predicates never disagree. ``staff_required`` also demands the verified second factor;
the predicates look at the role only, so services can ask them about any actor.

Least privilege (spec 04-review):
- operator (執行單位) runs the call: configuration, registry lists, eligibility review,
  reviewer assignment, the audit log;
- reviewer (審查委員) scores only the applications assigned to them (the object-level check
  lives with the review app);
- organiser (主辦單位) decides awards, sees everything read-only, and the audit log; keeps the
  operators' and organisers' accounts (the operator keeps only the reviewers').
"""

from .enums import STAFF_ROLES, Role

CALL_MANAGERS = (Role.OPERATOR,)
REGISTRY_MANAGERS = (Role.OPERATOR,)
ELIGIBILITY_REVIEWERS = (Role.OPERATOR,)
REVIEWER_ASSIGNERS = (Role.OPERATOR,)
SCORERS = (Role.REVIEWER,)
AWARD_DECIDERS = (Role.ORGANISER,)
COMPANY_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
REGISTRY_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
AUDIT_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
COMPLIANCE_MANAGERS = (Role.OPERATOR,)
COMPLIANCE_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
# The compute in use across the awards (points, service states, use per month).
USAGE_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
# The mail log holds contacts' personal data: the operator (who resends) and the organiser.
MAIL_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
MAIL_SENDERS = (Role.OPERATOR,)
# Create staff accounts, issue their enrolment links, change roles, deactivate — each only for
# the roles of ``MANAGED_ROLES``: the operator runs the review and keeps its reviewers; the
# organiser, who decides the awards, alone gives that power (and the operator's) to anyone, so
# that no operator can make themselves an organiser's account.
STAFF_MANAGERS = (Role.OPERATOR, Role.ORGANISER)
MANAGED_ROLES = {
    Role.OPERATOR: (Role.REVIEWER,),
    Role.ORGANISER: (Role.OPERATOR, Role.REVIEWER, Role.ORGANISER),
}
# The admin is the operator's configuration tool; the organiser gets view permissions only.
ADMIN_USERS = (Role.OPERATOR, Role.ORGANISER)


def has_role(user, roles):
    """True when ``user`` is a signed-in, active account whose role is one of ``roles``."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in roles
    )


def is_staff_member(user):
    return has_role(user, STAFF_ROLES)


def can_manage_call(user):
    """Configure the call: dates, categories, batches, tiers, criteria, catalogue, texts."""
    return has_role(user, CALL_MANAGERS)


def can_manage_registry(user):
    """Import the tax-registration data and keep the operator's lists."""
    return has_role(user, REGISTRY_MANAGERS)


def can_view_registry(user):
    return has_role(user, REGISTRY_VIEWERS)


def can_review_eligibility(user):
    """Decide eligible / ineligible / supplement for submitted applications."""
    return has_role(user, ELIGIBILITY_REVIEWERS)


def can_assign_reviewers(user):
    return has_role(user, REVIEWER_ASSIGNERS)


def can_view_company(user):
    """See any company and its applications (reviewers see only assigned applications)."""
    return has_role(user, COMPANY_VIEWERS)


def can_score(user):
    """Score applications at all; which ones is decided by the assignment, per application."""
    return has_role(user, SCORERS)


def can_decide_awards(user):
    """Approve the meeting's list and the final points."""
    return has_role(user, AWARD_DECIDERS)


def can_view_audit(user):
    return has_role(user, AUDIT_VIEWERS)


def can_manage_compliance(user):
    """Record violations of the usage rules and decide their sanctions."""
    return has_role(user, COMPLIANCE_MANAGERS)


def can_view_compliance(user):
    return has_role(user, COMPLIANCE_VIEWERS)


def can_view_usage(user):
    return has_role(user, USAGE_VIEWERS)


def can_view_mail(user):
    """Read the log of every e-mail the system sent, with its recipients and body."""
    return has_role(user, MAIL_VIEWERS)


def can_resend_mail(user):
    """Send a mail of the log again (a failed delivery, a company that did not receive it)."""
    return has_role(user, MAIL_SENDERS)


def can_use_admin(user):
    return has_role(user, ADMIN_USERS)


def can_manage_staff(user):
    """Create staff accounts, send their enrolment links, change their roles, deactivate them
    (``accounts.enrolment``): some roles' accounts, ``managed_roles``."""
    return has_role(user, STAFF_MANAGERS)


def managed_roles(user):
    """The roles whose accounts ``user`` may create and change (and give), in display order."""
    if not can_manage_staff(user):
        return ()
    return MANAGED_ROLES.get(user.role, ())
