"""The reminder passes' shared rules: which reminder a due date calls for, and the count."""

import pytest

from aipower.core import reminders

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("overdue", "days_left", "expected"),
    [
        (True, -3, reminders.OVERDUE),
        (True, 5, reminders.OVERDUE),
        (False, 0, reminders.DUE_SOON),
        (False, 7, reminders.DUE_SOON),
        (False, 8, None),
        (False, -1, None),
    ],
)
def test_due_kind_by_the_date_and_the_window(overdue, days_left, expected):
    assert reminders.due_kind(overdue=overdue, days_left=days_left, days=7) == expected


def test_window_reads_the_named_setting_with_a_default_of_seven(settings):
    settings.SOME_REMINDER_DAYS = "3"

    assert reminders.window("SOME_REMINDER_DAYS") == 3
    assert reminders.window("NO_SUCH_REMINDER_DAYS") == 7


def test_report_counts_each_kind_and_names_what_it_sent():
    report = reminders.Report(noun="survey reminders")

    report.add(reminders.OVERDUE)
    report.add(reminders.DUE_SOON)
    report.add(reminders.OVERDUE)

    assert (report.due_soon, report.overdue) == (1, 2)
    assert str(report) == "sent 1 due-soon and 2 overdue survey reminders"
