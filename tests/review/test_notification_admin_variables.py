"""The admin's 通知範本 form lists the reviewers' reminder's new variables (the batch and the
review meeting's date) and the contact variables of the notices that name the 聯繫窗口, as it
lists the others; an operator's edit using them is accepted."""

import pytest
from django.urls import reverse

from aipower.accounts.roles import sync_role_groups
from aipower.core.models import NotificationTemplate
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

TEXTS = ("description", "subject_zh", "body_zh", "subject_en", "body_en")


@pytest.fixture
def operator_client(django_user_model):
    user = django_user_model.objects.create_user("op", password="x" * 16, role="operator")
    sync_role_groups()
    return verified_client(user)


def change_url(key):
    template = NotificationTemplate.objects.get(key=key)
    return reverse("admin:review_notificationtemplate_change", args=[template.pk])


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("reviewer_reminder", ("{{ batch }}", "{{ review_date }}")),
        ("ineligible", ("{{ service_email }}", "{{ service_phone }}")),
        ("inactivity", ("{{ service_email }}", "{{ service_phone }}")),
        ("privacy_refused", ("{{ service_email }}", "{{ service_phone }}")),
        ("followup_overdue", ("{{ service_email }}", "{{ service_phone }}")),
    ],
)
def test_the_new_variables_are_listed(operator_client, key, names):
    form = operator_client.get(change_url(key)).context["adminform"].form

    help_text = form.fields["body_zh"].help_text
    assert help_text.startswith("可用變數：")
    for name in names:
        assert name in help_text


def test_an_edit_naming_the_batch_and_meeting_date_is_saved(operator_client):
    typed = "{{ reviewer }}：{{ batch }} 審查會議 {{ review_date }}，尚有 {{ pending }} 件"

    template = NotificationTemplate.objects.get(key="reviewer_reminder")
    data = {name: getattr(template, name) for name in TEXTS} | {"body_zh": typed}

    response = operator_client.post(change_url("reviewer_reminder"), data)

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body_zh == typed
