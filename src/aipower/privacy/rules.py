"""Who may see and handle personal-data requests, built on the role checks of
``accounts.rules``: the operator (執行單位) handles them; the organiser (主辦單位) reads them;
reviewers see nothing. A company sees only its own requests (checked in the views)."""

from aipower.accounts.enums import Role
from aipower.accounts.rules import has_role

PRIVACY_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
PRIVACY_HANDLERS = (Role.OPERATOR,)


def can_view_data_requests(user):
    """See every company's personal-data requests and their history."""
    return has_role(user, PRIVACY_VIEWERS)


def can_handle_data_requests(user):
    """Move a request through its states, correct or erase the contacts' data."""
    return has_role(user, PRIVACY_HANDLERS)
