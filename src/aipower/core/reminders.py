"""What the daily reminder passes share (the deliverables, the productisation survey): which
reminder a due date calls for, how many days before it the first one goes, and the count of
what one pass sent. Each pass keeps its own rules for what is owed and its own texts."""

import dataclasses

from django.conf import settings

DUE_SOON = "due_soon"
OVERDUE = "overdue"
DEFAULT_DAYS = 7


def window(setting):
    """The days before a due date that the due-soon reminder may go: ``settings.<setting>``,
    7 by default."""
    return int(getattr(settings, setting, DEFAULT_DAYS))


def due_kind(*, overdue, days_left, days):
    """``OVERDUE`` once the date has passed, ``DUE_SOON`` within ``days`` of it, else None."""
    if overdue:
        return OVERDUE
    if 0 <= days_left <= days:
        return DUE_SOON
    return None


@dataclasses.dataclass
class Report:
    """How many reminders of each kind one pass sent."""

    noun: str = "reminders"
    due_soon: int = 0
    overdue: int = 0

    def add(self, kind):
        if kind == OVERDUE:
            self.overdue += 1
        else:
            self.due_soon += 1

    def __str__(self):
        return f"sent {self.due_soon} due-soon and {self.overdue} overdue {self.noun}"
