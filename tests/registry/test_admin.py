"""The operator keeps the lists in the admin: additions record who added them, every change is
in the audit log; snapshots are read-only."""

import pytest

from aipower.accounts.enums import Role
from aipower.accounts.roles import sync_role_groups
from aipower.core.models import AuditEntry
from aipower.registry.models import ListEntry
from aipower.registry.services import import_demo_registry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(django_user_model):
    user = django_user_model.objects.create_user("operator", password="x" * 16, role=Role.OPERATOR)
    sync_role_groups()
    client = verified_client(user)
    client.user = user
    return client


def test_admin_add_list_entry_records_who_and_audits(operator_client):
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": "suspended", "reason": "重大違約", "until": "2027-06-30"},
    )

    entry = ListEntry.objects.get()
    audit = AuditEntry.objects.get(action="admin.add")
    assert response.status_code == 302
    assert entry.added_by == operator_client.user
    assert entry.kind == "suspended"
    assert audit.actor == operator_client.user
    assert audit.object_type == "registry.ListEntry"
    assert audit.object_id == str(entry.pk)


def test_admin_list_entry_invalid_number_refused(operator_client):
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "12345678", "kind": "barred", "reason": "x"},
    )

    assert response.status_code == 200
    assert "統一編號 12345678 的檢查碼不正確" in response.content.decode()
    assert ListEntry.objects.count() == 0


def test_admin_list_entry_number_typed_full_width_or_with_a_hyphen_is_kept(operator_client):
    form = operator_client.get("/admin/registry/listentry/add/").content.decode()
    full_width = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "８４７０００８７", "kind": "barred", "reason": "x", "until": "2099-12-31"},
    )
    hyphen = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "5288-0483", "kind": "suspended", "reason": "y"},
    )

    assert 'maxlength="8"' not in form.split('name="ubn"', 1)[1].split(">", 1)[0]
    assert full_width.status_code == hyphen.status_code == 302
    assert sorted(ListEntry.objects.values_list("ubn", flat=True)) == ["52880483", "84700087"]


def test_admin_list_entry_wrong_length_says_so_and_keeps_the_typing(operator_client):
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "8470-008", "kind": "barred", "reason": "x"},
    )
    page = response.content.decode()

    assert "統一編號應為8位數字（您輸入了「8470008」）" in page
    assert 'value="8470-008"' in page
    assert ListEntry.objects.count() == 0


def test_admin_list_search_finds_a_number_typed_full_width(operator_client):
    ListEntry.objects.create(ubn="84700087", kind="barred", reason="x")

    response = operator_client.get("/admin/registry/listentry/", {"q": "８４７０-００８７"})

    assert response.context["cl"].result_count == 1


def test_admin_change_and_delete_list_entry_audited(operator_client):
    operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": "suspended", "reason": "重大違約"},
    )
    entry = ListEntry.objects.get()

    operator_client.post(
        f"/admin/registry/listentry/{entry.pk}/change/",
        {"ubn": "84700087", "kind": "mainland_capital", "reason": "重大違約"},
    )
    operator_client.post(f"/admin/registry/listentry/{entry.pk}/delete/", {"post": "yes"})

    change = AuditEntry.objects.get(action="admin.change")
    assert change.data["before"] == {"kind": "suspended"}
    assert change.data["after"] == {"kind": "mainland_capital"}
    assert AuditEntry.objects.filter(action="admin.delete").count() == 1
    assert ListEntry.objects.count() == 0


def test_admin_snapshots_are_read_only(db, operator_client):
    snapshot = import_demo_registry().snapshot

    listing = operator_client.get("/admin/registry/snapshot/")
    add = operator_client.get("/admin/registry/snapshot/add/")
    delete = operator_client.post(
        f"/admin/registry/snapshot/{snapshot.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "BGMOPEN1-demo.csv" in listing.content.decode()
    assert add.status_code == 403
    assert delete.status_code == 403


def test_admin_list_shows_and_filters_entries_still_in_force(operator_client):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    ListEntry.objects.create(ubn="84700087", kind="barred", reason="x", until=today)
    ListEntry.objects.create(
        ubn="52880483", kind="suspended", reason="y", until=today - datetime.timedelta(days=1)
    )
    ListEntry.objects.create(ubn="48552728", kind="mainland_capital", reason="z")

    everything = operator_client.get("/admin/registry/listentry/").content.decode()
    in_force = operator_client.get("/admin/registry/listentry/", {"in_force": "yes"})
    past = operator_client.get("/admin/registry/listentry/", {"in_force": "no"})

    assert "仍適用" in everything and "已屆期" in everything
    assert everything.count('class="field-in_force"><img') == 3
    assert sorted(e.ubn for e in in_force.context["cl"].result_list) == ["48552728", "84700087"]
    assert [e.ubn for e in past.context["cl"].result_list] == ["52880483"]


def test_admin_bar_from_the_next_application_needs_its_end(operator_client):
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": "barred", "reason": "違反使用規範第 3 點", "until": ""},
    )

    assert response.status_code == 200
    assert "「停權下次申請資格乙次」須填寫期限" in response.content.decode()
    assert "違反使用規範第 3 點" in response.content.decode()  # what was typed is kept
    assert ListEntry.objects.count() == 0


def test_admin_new_entry_that_already_ended_is_refused(operator_client):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": "suspended", "reason": "x", "until": yesterday.isoformat()},
    )

    assert response.status_code == 200
    assert "期限早於今天，這筆紀錄不會影響申請資格；請確認日期。" in response.content.decode()
    assert ListEntry.objects.count() == 0


@pytest.mark.parametrize("kind", ["major_breach", "serious_violation"])
def test_admin_three_year_conditions_need_their_end(operator_client, kind):
    refused = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": kind, "reason": "x", "until": ""},
    )
    added = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": kind, "reason": "x", "until": "2028-05-31"},
    )

    assert "此名單以最近3年內之情事為限，須填寫期限（該情事發生日起3年）。" in (
        refused.content.decode()
    )
    assert added.status_code == 302
    assert ListEntry.objects.get().kind == kind


@pytest.mark.parametrize("typed", ["8470-0087", "８４７０００８７", " 8470 0087 "])
def test_admin_company_search_finds_a_number_however_typed(operator_client, typed):
    from aipower.accounts.models import Company

    Company.objects.create(ubn="84700087", name="晴空智能股份有限公司")
    Company.objects.create(ubn="52880483", name="山嵐資訊有限公司")

    response = operator_client.get("/admin/accounts/company/", {"q": typed})

    assert [c.ubn for c in response.context["cl"].result_list] == ["84700087"]


def test_the_bar_list_is_named_as_the_programme_and_the_sanction_name_it():
    """The list a 停權 sanction puts a company on reads as the programme document's words and
    as the compliance decision that adds to it (it read 停止申請下一次, in neither)."""
    from pathlib import Path

    from aipower.compliance.enums import Sanction
    from aipower.registry.enums import ListKind

    seed = Path(__file__).resolve().parents[2] / "src/aipower/calls/seeds/year115.py"
    assert str(ListKind.BARRED.label) == "停權下次申請資格乙次"
    assert str(ListKind.BARRED.label) in seed.read_text(encoding="utf-8")
    assert ListKind.BARRED.label == Sanction.BAR.label


def test_entry_added_from_the_company_page_leads_back_to_it(db, operator_client):
    """The company page's 新增名單紀錄 opens the admin's form for that company; saved, the
    operator is back on the company page, its verdict read with the new entry."""
    import_demo_registry()
    company = "/staff/registry/companies/84700087/"
    page = operator_client.get(company).content.decode()
    add = "/admin/registry/listentry/add/?ubn=84700087&amp;from=company"
    assert f'href="{add}"' in page

    response = operator_client.post(
        add.replace("&amp;", "&"),
        {"ubn": "84700087", "kind": "mainland_capital", "reason": "陸資來臺投資事業名錄"},
        follow=True,
    )

    assert response.redirect_chain[-1] == (company, 302)
    html = response.content.decode()
    assert "陸資：陸資來臺投資事業名錄" in html
    assert "已成功新增" in html  # the admin's own confirmation, on the page it leads to


def test_entry_changed_from_the_company_page_leads_back_to_it(db, operator_client):
    import_demo_registry()
    entry = ListEntry.objects.create(
        ubn="84700087", kind="suspended", reason="重大違約", until="2027-06-30"
    )
    company = "/staff/registry/companies/84700087/"
    change = f"/admin/registry/listentry/{entry.pk}/change/?from=company"
    assert f'href="{change}"' in operator_client.get(company).content.decode()

    response = operator_client.post(
        change, {"ubn": "84700087", "kind": "suspended", "reason": "重大違約", "until": ""}
    )

    assert (response.status_code, response["Location"]) == (302, company)
    entry.refresh_from_db()
    assert entry.until is None


def test_entry_saved_in_the_admin_list_stays_in_the_admin(operator_client):
    response = operator_client.post(
        "/admin/registry/listentry/add/",
        {"ubn": "84700087", "kind": "suspended", "reason": "重大違約", "until": "2027-06-30"},
    )

    assert (response.status_code, response["Location"]) == (302, "/admin/registry/listentry/")


def test_admin_lists_name_the_company_and_find_it_by_name(db, operator_client):
    """The lists are kept by 統一編號; the change list also names each company (from the
    current data set) and its search finds an entry by a part of the name, as the staff
    company search does (台/臺 alike)."""
    import_demo_registry()
    ListEntry.objects.create(ubn="84700087", kind="mainland_capital", reason="名錄")
    ListEntry.objects.create(ubn="52880483", kind="suspended", reason="重大違約")
    ListEntry.objects.create(ubn="04595257", kind="suspended", reason="不在資料集")

    listing = operator_client.get("/admin/registry/listentry/")
    found = operator_client.get("/admin/registry/listentry/", {"q": "晴空"})
    by_reason = operator_client.get("/admin/registry/listentry/", {"q": "重大違約"})

    html = listing.content.decode()
    assert '<td class="field-company_name">晴空智能股份有限公司</td>' in html
    assert '<td class="field-company_name">山嵐資訊有限公司</td>' in html
    assert '<td class="field-company_name">—</td>' in html  # not in the data set
    assert [e.ubn for e in found.context["cl"].result_list] == ["84700087"]
    assert [e.ubn for e in by_reason.context["cl"].result_list] == ["52880483"]


def _barred(call_115, operator, ubn="84700087"):
    """A violation whose sanction (停權下次申請資格乙次) put the company on the list."""
    import datetime

    from django.utils import timezone

    from aipower.calls.enums import CategoryKind
    from aipower.compliance import services as compliance
    from aipower.compliance.enums import Sanction, UsageRule
    from tests.grants.conftest import make_award

    award = make_award(call_115, ubn, CategoryKind.INFERENCE)
    violation = compliance.record_violation(
        award, UsageRule.OBLIGATIONS, timezone.localdate(), "未保留紀錄檔", by=operator
    )
    until = timezone.localdate() + datetime.timedelta(days=200)
    return compliance.decide(violation, Sanction.BAR, by=operator, bar_until=until)


def test_admin_marks_an_entry_a_sanction_made_and_links_its_violation(operator_client, call_115):
    violation = _barred(call_115, operator_client.user)
    typed = ListEntry.objects.create(ubn="52880483", kind="suspended", reason="重大違約")
    link = f'href="/staff/compliance/{violation.pk}/"'

    listing = operator_client.get("/admin/registry/listentry/").content.decode()
    page = operator_client.get(
        f"/admin/registry/listentry/{violation.list_entry_id}/change/"
    ).content.decode()
    by_hand = operator_client.get(f"/admin/registry/listentry/{typed.pk}/change/").content.decode()
    only_sanctions = operator_client.get("/admin/registry/listentry/", {"source": "sanction"})

    assert f"{link}>違規處分（違規紀錄 #{violation.pk}）</a>" in listing
    assert "人工登錄" in listing
    assert f"{link}>違規處分（違規紀錄 #{violation.pk}）</a>" in page
    assert "人工登錄" in by_hand and "/staff/compliance/" not in by_hand
    assert [e.pk for e in only_sanctions.context["cl"].result_list] == [violation.list_entry_id]


def test_deleting_an_entry_a_sanction_made_names_its_violation_first(operator_client, call_115):
    violation = _barred(call_115, operator_client.user)
    typed = ListEntry.objects.create(ubn="52880483", kind="suspended", reason="重大違約")
    url = f"/admin/registry/listentry/{violation.list_entry_id}/delete/"

    confirm = operator_client.get(url).content.decode()
    plain = operator_client.get(f"/admin/registry/listentry/{typed.pk}/delete/").content.decode()
    operator_client.post(url, {"post": "yes"})

    assert 'id="sanction-entries"' in confirm
    assert (
        f'<a href="/staff/compliance/{violation.pk}/">違規紀錄 #{violation.pk}'
        f"（違反使用規範第 {violation.rule} 點）之處分</a>"
    ) in confirm
    assert 'id="sanction-entries"' not in plain
    violation.refresh_from_db()
    assert violation.list_entry_id is None  # deleted after the confirmation; the violation stays
    assert AuditEntry.objects.filter(action="admin.delete").count() == 1


def test_deleting_selected_entries_names_the_violations_among_them(operator_client, call_115):
    violation = _barred(call_115, operator_client.user)
    typed = ListEntry.objects.create(ubn="52880483", kind="suspended", reason="重大違約")

    confirm = operator_client.post(
        "/admin/registry/listentry/",
        {"action": "delete_selected", "_selected_action": [violation.list_entry_id, typed.pk]},
    ).content.decode()

    warning = confirm.split('id="sanction-entries"', 1)[1].split("</div>", 1)[0]
    assert f'href="/staff/compliance/{violation.pk}/"' in warning
    assert "52880483" not in warning
    assert ListEntry.objects.count() == 2  # only asked, nothing deleted yet


def test_the_migration_links_a_sanction_entry_typed_again_to_its_violation(
    operator_client, call_115
):
    """compliance 0004: a barred violation whose entry was deleted and typed again by hand
    (the reason naming it) is linked to it; an entry naming another company's violation is
    not."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "aipower.compliance.migrations.0004_list_entry_one_violation"
    )
    violation = _barred(call_115, operator_client.user)
    reason = ListEntry.objects.get().reason
    ListEntry.objects.all().delete()
    again = ListEntry.objects.create(ubn="84700087", kind="barred", reason=reason)
    other = ListEntry.objects.create(ubn="52880483", kind="barred", reason=reason)

    migration.link_named_entries(apps, None)

    violation.refresh_from_db()
    assert violation.list_entry_id == again.pk
    assert not hasattr(ListEntry.objects.get(pk=other.pk), "violation")
