"""Who may do what with the follow-up surveys, built on the role checks of ``accounts.rules``.

The operator (執行單位) opens and changes survey rounds and sees every response; the organiser
(主辦單位) sees them read-only; reviewers see nothing. Companies see only their own responses
(checked in the views by the award's company).
"""

from aipower.accounts.enums import Role
from aipower.accounts.rules import has_role

FOLLOWUP_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
ROUND_MANAGERS = (Role.OPERATOR,)


def can_view_followup(user):
    """See every round and response, print and export the lists."""
    return has_role(user, FOLLOWUP_VIEWERS)


def can_manage_rounds(user):
    """Open a survey round and change its title or dates."""
    return has_role(user, ROUND_MANAGERS)
