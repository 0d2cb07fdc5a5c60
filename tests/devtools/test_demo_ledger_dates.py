"""The demo awards' points ledgers read in the order things happened: each grant dated when the
organiser approved the list, 北港's expiry when its period ended. The grant was dated when the
demo was loaded, and 北港's usage CSV listed 期滿失效 a second before 核發, both today."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from aipower.accounts.models import Company, User
from aipower.devtools.demo_closeout import CLOSEOUT_UBN
from aipower.devtools.demo_grants import DEMO_UBN
from aipower.grants.models import Allowance, LedgerEntry

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.DEVCA_DIR = tmp_path / "devca"
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("ubn", [DEMO_UBN, CLOSEOUT_UBN])
def test_the_grant_is_dated_when_the_list_was_approved(demo, ubn):
    allowance = Allowance.objects.select_related("award").get(company__ubn=ubn)

    grant = allowance.entries.get(kind=LedgerEntry.Kind.GRANT)

    assert grant.created_at == allowance.award.approved_at
    assert grant.created_at < timezone.now() - datetime.timedelta(days=1)


def test_beigangs_ledger_reads_granted_then_expired_when_its_period_ended(demo):
    allowance = Allowance.objects.select_related("award").get(company__ubn=CLOSEOUT_UBN)
    user = User.objects.create_user(
        username="c-beigang", role="company", company=Company.objects.get(ubn=CLOSEOUT_UBN)
    )
    client = Client()
    client.force_login(user)

    rows = (
        b"".join(client.get(f"/usage/{allowance.pk}/usage.csv").streaming_content)
        .decode("utf-8-sig")
        .splitlines()[1:]
    )
    expiry = allowance.entries.get(kind=LedgerEntry.Kind.EXPIRY)

    assert [row.split(",")[1] for row in rows] == ["核發", "期滿失效"]
    assert timezone.localdate(expiry.created_at) == allowance.ends_on + datetime.timedelta(days=1)
