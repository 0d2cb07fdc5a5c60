"""Who may do what with the deliverables, built on the role checks of ``accounts.rules``.

The operator (執行單位) sees every award's deliverables and records the product demo meeting;
the organiser (主辦單位) sees them read-only; reviewers see nothing. Companies see only their
own awards (checked in the views by the award's company).
"""

from aipower.accounts.enums import Role
from aipower.accounts.rules import has_role

DELIVERABLES_VIEWERS = (Role.OPERATOR, Role.ORGANISER)
DEMO_ATTENDANCE_RECORDERS = (Role.OPERATOR,)


def can_view_deliverables(user):
    """See every award's deliverables, download the files, print and export the list."""
    return has_role(user, DELIVERABLES_VIEWERS)


def can_record_demo_attendance(user):
    """Record a training company's attendance at the product demo meeting."""
    return has_role(user, DEMO_ATTENDANCE_RECORDERS)
