"""docs/operations.md, "Trusted roots for the card login": once CRLs are configured, a CRL past
its next update refuses every card login until a fresh one is downloaded, and the files are
read at each login (a download needs no restart)."""

import datetime as dt

import pytest

from aipower.accounts import pki
from aipower.devtools import cards, devca
from tests.accounts.test_pki import CHALLENGE, verify

pytestmark = pytest.mark.unit


@pytest.fixture
def ca(tmp_path):
    return devca.ensure_dev_ca(tmp_path / "devca")


def test_a_stale_crl_refuses_the_login_and_a_fresh_download_lets_it_in(ca, monkeypatch):
    card = cards.issue_card("84700087", "晴空智能股份有限公司", directory=ca.directory)
    signature, certificate = cards.sign(card, CHALLENGE), card.certificate_b64()
    real_now = devca.now
    # Published ten days ago with a week's validity: past its next update.
    monkeypatch.setattr(devca, "now", lambda: real_now() - dt.timedelta(days=10))
    crls = devca.write_crls(ca)
    monkeypatch.setattr(devca, "now", real_now)

    with pytest.raises(pki.RevocationUnavailable) as refused:
        verify(signature, certificate, ca=ca, crls=crls)
    assert refused.value.code == "revocation_unavailable"

    assert devca.write_crls(ca) == crls  # the cron job's download, over the same files
    identity = verify(signature, certificate, ca=ca, crls=crls)
    assert identity.ubn == "84700087"
