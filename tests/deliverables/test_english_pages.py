"""The staff deliverables page in English: the attendance question is not worded as its answer."""

import pytest

pytestmark = pytest.mark.integration


def test_attendance_form_in_english_asks_for_the_attendance(staff, training_ended):
    client, _user = staff("operator")
    client.cookies["django_language"] = "en"

    page = client.get(f"/staff/deliverables/{training_ended.award.pk}/").content.decode()

    assert "<legend>Attendance</legend>" in page
    assert "<legend>Attended</legend>" not in page
