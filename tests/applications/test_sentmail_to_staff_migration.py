"""Migration applications 0006: mails already written to staff members only (by the addresses
the staff have now) are marked ``to_staff``; a company's mail, or one copied to a company, is
not."""

import importlib

import pytest
from django.apps import apps

from aipower.accounts.models import Company, User
from aipower.applications.models import Application, SentMail

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.applications.migrations.0006_sentmail_to_staff")


def test_existing_mails_to_staff_only_are_marked(call_115):
    company = Company.objects.create(ubn="04595257", name="示範智能股份有限公司")
    app = Application.objects.create(
        call=call_115, company=company, category="inference", number="AP115-I-0042"
    )
    User.objects.create_user(username="r", password="x", role="reviewer", email="R@Example.org")
    staff_only = SentMail.objects.create(
        to=["r@example.org"], subject="s", body="b", application=app
    )
    company_mail = SentMail.objects.create(
        to=["pi@example.com"], subject="s", body="b", application=app
    )
    copied = SentMail.objects.create(
        to=["pi@example.com", "r@example.org"], subject="s", body="b", application=app
    )

    migration.mark_staff_mails(apps, None)

    marked = dict(SentMail.objects.values_list("pk", "to_staff"))
    assert marked == {staff_only.pk: True, company_mail.pk: False, copied.pk: False}
