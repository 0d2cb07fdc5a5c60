"""Every admin object page survives "open, press save": with the demo data loaded, a superuser
opens each changeable model's object page, submits its form exactly as a browser would (nothing
typed) and every stored value of the object and of its inline rows is what it was before.

A value a widget renders differently from how its form field reads it back (a time without its
seconds, a number with the locale's thousands separator, a date-time in the wrong zone, a JSON
value re-encoded, a stored choice outside the choices, NULL turned into "") is lost or changed
by such a save; this finds it for every model, in zh-Hant (the default) and in English. The
change lists with editable columns are saved unchanged the same way.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import quote
from django.forms.models import _get_foreign_key
from django.test import RequestFactory
from django.urls import reverse

from aipower.accounts.models import User
from aipower.core.models import AuditEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration

# Fields a save changes on purpose, by "app_label.Model.field", with the reason (the test
# refuses an auto_now field of a changeable model or inline not named here). None so far: no
# changeable model or inline has an auto_now field (applications.Application.updated_at and
# grants.GpuJob.updated_at are on read-only pages); an auto_now_add field
# (registry.ListEntry.added_at) is set when the row is added, and an unchanged save keeps it.
CHANGED_BY_SAVE = {}


def _list_entries():
    from aipower.accounts.models import Company
    from aipower.registry.models import ListEntry

    ubn = Company.objects.order_by("pk").first().ubn
    kinds = [value for value, _label in ListEntry._meta.get_field("kind").choices]
    return [
        ListEntry.objects.create(
            ubn=ubn, kind=kinds[0], reason="經查有欠稅紀錄\n俟補繳後解除", until=None
        ),
        ListEntry.objects.create(
            ubn=ubn, kind=kinds[-1], reason="  縮排的原因", until=datetime.date(2026, 12, 31)
        ),
    ]


def _budget():
    from aipower.calls.models import Category
    from aipower.review.models import Budget

    return [
        Budget.objects.create(
            category=Category.objects.order_by("pk").first(), points=1_234_567, minimum_reviewers=3
        )
    ]


def _reviewer_profile():
    from aipower.review.models import ReviewerProfile

    return [
        ReviewerProfile.objects.create(
            user=User.objects.filter(role="reviewer").order_by("pk").first(),
            affiliations="國立臺灣大學\n12345675\n",
        )
    ]


# Each model's first rows (by primary key) are opened and saved; the demo holds fewer of most.
ROWS_PER_MODEL = 40

# Changeable models the demo data hold no row of: rows are made (values a form could garble:
# line breaks, blanks around a text, a number past a thousand, a date, an empty date).
MAKE_ROWS = {
    "registry.ListEntry": _list_entries,
    "review.Budget": _budget,
    "review.ReviewerProfile": _reviewer_profile,
}


def as_after_use():
    """The demo rows as use leaves them: the times the clock sets (a last sign-in, a key's last
    use or revocation), with their fractions of a second, where the demo leaves them empty."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aipower.gateway.models import ApiKey

    now = timezone.now().replace(microsecond=123456)
    User.objects.filter(last_login=None).update(last_login=now)
    TOTPDevice.objects.filter(last_used_at=None).update(
        last_used_at=now, throttling_failure_timestamp=now, throttling_failure_count=1
    )
    ApiKey.objects.filter(last_used_at=None).update(
        last_used_at=now, revoked_at=now, expires_at=now + datetime.timedelta(days=90)
    )


# The demo data hold none and none is made, with the reason.
NO_ROW = {
    "grants.ClusterToken": "the demo data hold no cluster token, and its admin changes none: "
    "every field is read-only, its change permission serves the list's 撤銷憑證 action only",
}


class FormValues(HTMLParser):
    """The name/value pairs a browser submits for the form with id ``form_id``: the successful
    controls of HTML's form submission algorithm (checked boxes and radios only, selected
    options, no disabled controls, no buttons), textarea line breaks sent as CRLF."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.found = False
        self.pairs = []
        self._select = None  # [name, multiple, disabled, options: [(value, selected, disabled)]]
        self._option = None  # [attrs, text]
        self._textarea = None  # [name, disabled, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("id") == self.form_id:
                self.in_form = self.found = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        disabled = "disabled" in attrs
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if not name or disabled or kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
                return
            # A browser strips line breaks from a one-line input's value.
            value = (attrs.get("value") or "").replace("\r", "").replace("\n", "")
            self.pairs.append((name, value))
        elif tag == "select":
            self._select = [name, "multiple" in attrs, disabled, []]
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._option = [attrs, ""]
        elif tag == "textarea":
            self._textarea = [name, disabled, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[2] += data

    def _finish_option(self):
        if self._option is None:
            return
        attrs, text = self._option
        value = attrs["value"] if "value" in attrs else " ".join(text.split())
        self._select[3].append((value, "selected" in attrs, "disabled" in attrs))
        self._option = None

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "option":
            if self._select is not None:
                self._finish_option()
        elif tag == "select" and self._select is not None:
            self._finish_option()
            name, multiple, disabled, options = self._select
            self._select = None
            if not name or disabled:
                return
            chosen = [value for value, selected, off in options if selected and not off]
            if not multiple:
                # A single select submits its last selected option, else its first option.
                if chosen:
                    chosen = chosen[-1:]
                else:
                    chosen = [value for value, _selected, off in options if not off][:1]
            self.pairs.extend((name, value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            name, disabled, text = self._textarea
            self._textarea = None
            if not name or disabled:
                return
            # The HTML parser drops one line break right after <textarea>; a browser sends the
            # value's line breaks as CRLF.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            self.pairs.append((name, text))


def form_data(html, form_id):
    """``{name: [values]}`` as a browser submits the form ``form_id`` of ``html``."""
    parser = FormValues(form_id)
    parser.feed(html)
    parser.close()
    assert parser.found, f"no <form id={form_id!r}> on the page"
    data = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    return data


def stored(obj):
    """Every concrete field's stored value (read again from the database) and the primary keys
    of each many-to-many field, by field name."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    opts = obj._meta
    values = {field.name: field.value_from_object(obj) for field in opts.concrete_fields}
    for field in opts.many_to_many:
        values[field.name] = sorted(related.pk for related in getattr(obj, field.name).all())
    return values


def snapshot(obj, inline_models):
    """The stored values of ``obj`` and of the rows of each of its inlines, by model label and
    primary key."""
    rows = {(obj._meta.label, obj.pk): stored(obj)}
    for model, fk in inline_models:
        for row in model._default_manager.filter(**{fk.name: obj}).order_by("pk"):
            rows[(model._meta.label, row.pk)] = stored(row)
    return rows


def differences(before, after):
    """``{(label, pk): {field: (before, after)}}`` for each value the save changed (rows added
    or removed show as ``None``), leaving out the fields of ``CHANGED_BY_SAVE``."""
    changed = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            changed[key] = (old, new)
            continue
        fields = {
            name: (old[name], new[name])
            for name in old
            if old[name] != new[name] and f"{key[0]}.{name}" not in CHANGED_BY_SAVE
        }
        if fields:
            changed[key] = fields
    return changed


def inline_models(model_admin, request, obj):
    """(model, foreign key to the parent) of each inline the object page shows."""
    found = []
    for inline in model_admin.get_inline_instances(request, obj):
        assert isinstance(inline, InlineModelAdmin)
        fk = _get_foreign_key(model_admin.model, inline.model, fk_name=inline.fk_name)
        found.append((inline.model, fk))
    return found


def form_errors(response):
    """The errors of the page's form and formsets (inlines, a change list's editable rows),
    for the assertion's message."""
    context = response.context
    if context is None:
        return f"status {response.status_code}: {response.content[:500]!r}"
    errors = {}
    adminform = context.get("adminform")
    if adminform is not None and adminform.form.errors:
        errors["form"] = adminform.form.errors.get_json_data()
    formsets = [inline.formset for inline in context.get("inline_admin_formsets") or []]
    change_list = context.get("cl")
    if change_list is not None and change_list.formset is not None:
        formsets.append(change_list.formset)
    for formset in formsets:
        if formset.non_form_errors():
            errors[f"{formset.prefix} (formset)"] = list(formset.non_form_errors())
        for index, row_errors in enumerate(formset.errors):
            if row_errors:
                errors[f"{formset.prefix}-{index}"] = row_errors.get_json_data()
    return errors or f"status {response.status_code}, no form errors"


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def round_trip(client, model_admin, request, obj, language):
    """Open ``obj``'s page, submit it unchanged: what went wrong (``{}`` if nothing)."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    inlines = inline_models(model_admin, request, obj)
    before = snapshot(obj, inlines)
    logged_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    page = client.get(url)
    if page.status_code != 200:
        return {"page": page.status_code}
    data = form_data(page.content.decode(), f"{opts.model_name}_form")
    data["_save"] = ["保存" if language == "zh-hant" else "Save"]
    response = client.post(url, data)

    if response.status_code != 302:
        return {"not saved": form_errors(response)}
    problems = {}
    changed = differences(before, snapshot(obj, inlines))
    if changed:
        problems["changed"] = changed
    # The form saw that nothing changed: the audit log names no changed field, and no row
    # (the page's reading, ``admin.view`` of a page of personal data, is not a change).
    logged = [
        (entry.action, entry.object_type, entry.object_id, entry.data["fields"])
        for entry in AuditEntry.objects.filter(
            id__gt=logged_before, action__startswith="admin."
        ).exclude(action="admin.view")
    ]
    if logged != [("admin.change", opts.label, str(obj.pk), [])]:
        problems["logged"] = logged
    return problems


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize(
    "model", [model for model, _admin in _registered()], ids=lambda model: model._meta.label
)
def test_admin_object_page_saved_unchanged_keeps_every_value(demo, db, model, language):
    as_after_use()
    user = User.objects.create_superuser("admin-round-trip", password="x" * 16, role="operator")
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    label = model._meta.label
    objects = list(model._default_manager.order_by("pk")[:ROWS_PER_MODEL])
    if not objects and label in NO_ROW:
        pytest.skip(NO_ROW[label])
    if not objects and label in MAKE_ROWS:
        objects = MAKE_ROWS[label]()
    if not model_admin.has_change_permission(request, objects[0] if objects else None):
        # Read-only (ReadOnlyAdmin and the like): the page has no form to save.
        pytest.skip(f"{type(model_admin).__name__} changes no {label} (read-only)")
    assert objects, f"no {label} to open: add it to MAKE_ROWS or NO_ROW"
    shown = [model, *(inline for inline, _fk in inline_models(model_admin, request, objects[0]))]
    stamped = {
        f"{shown_model._meta.label}.{field.name}"
        for shown_model in shown
        for field in shown_model._meta.concrete_fields
        if getattr(field, "auto_now", False)
    }
    assert stamped <= CHANGED_BY_SAVE.keys(), (
        "name each auto_now field, and why, in CHANGED_BY_SAVE"
    )
    client = verified_client(user)
    if language == "en":
        client.cookies["django_language"] = "en"

    problems = {}
    for obj in objects:
        found = round_trip(client, model_admin, request, obj, language)
        if found:
            problems[obj.pk] = found

    assert problems == {}


def _editable_lists():
    return [model for model, model_admin in _registered() if model_admin.list_editable]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("model", _editable_lists(), ids=lambda model: model._meta.label)
def test_admin_change_list_saved_unchanged_keeps_every_value(demo, db, model, language):
    user = User.objects.create_superuser("admin-round-trip", password="x" * 16, role="operator")
    client = verified_client(user)
    if language == "en":
        client.cookies["django_language"] = "en"
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    rows = list(model._default_manager.order_by("pk"))
    assert rows, f"the demo data hold no {opts.label}"
    before = {(opts.label, row.pk): stored(row) for row in rows}
    logged_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "changelist-form")
    data["_save"] = ["保存" if language == "zh-hant" else "Save"]
    response = client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    after = {(opts.label, row.pk): stored(row) for row in rows}
    assert differences(before, after) == {}
    # Django saves only the rows whose form changed: none.
    assert not AuditEntry.objects.filter(id__gt=logged_before, action__startswith="admin.").exists()
