"""The eligibility rules (申請資格) as one pure function.

``evaluate(record, lists, declarations, config)`` takes plain data — the company's row of the
tax-registration data (or None), the operator's list entries, the company's declarations and the
call's configuration — and returns a ``Verdict`` with every reason and its evidence. Nothing here
touches the database: ``services.verdict_for`` adapts the models and calls this.

Rules (spec 03-rules.md): at least one registered business item under the call's industry
prefixes; a sole proprietorship, partnership, limited partnership or company; not a branch; the
start-up priority flag from the founding date; and the self-declared conditions, checked against
the operator's lists. A company missing from the registry is not refused: the operator checks it.

``startup_priority(...)`` is the start-up priority of an application as the staff see it: the
tax data's 設立日期 and the 設立登記日期 the applicant declared, each read against the call's
start-up date; where they disagree, or the tax data has none, the operator checks it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aipower.calls.enums import ADMITTED_LEGAL_FORMS
from aipower.core.i18n import join_list
from aipower.core.templatetags.roc import roc_date

from .enums import ListKind, StartupPriorityStatus, VerdictStatus


class Severity:
    BLOCKING = "blocking"  # the company is not eligible
    CHECK = "check"  # cannot be decided automatically: the operator checks
    INFO = "info"  # evidence that does not change the outcome


@dataclass(frozen=True)
class Industry:
    code: str
    name: str


@dataclass(frozen=True)
class RegistryRecord:
    """The company's row in the current tax-registration snapshot."""

    ubn: str
    name: str
    head_office_ubn: str = ""
    legal_form: str = ""
    founded_on: datetime.date | None = None
    capital: int | None = None
    address: str = ""
    industries: tuple[Industry, ...] = ()  # main business first, blank columns left out
    published_on: datetime.date | None = None
    # False when the main business column (行業代號) is blank and only secondary ones are
    # filled: the first item listed is then not the main business.
    main_listed: bool = True


@dataclass(frozen=True)
class ListMark:
    kind: str  # ListKind value
    reason: str = ""
    until: datetime.date | None = None


@dataclass(frozen=True)
class OperatorLists:
    """The operator's list entries for this company (any kind, expired ones included)."""

    marks: tuple[ListMark, ...] = ()


@dataclass(frozen=True)
class Declarations:
    """The company's declarations; None means not declared yet (nothing to check)."""

    no_mainland_capital: bool | None = None
    no_major_breach: bool | None = None
    no_serious_violation: bool | None = None


@dataclass(frozen=True)
class IndustryGroup:
    code: str  # e.g. J62
    name_zh: str
    prefixes: tuple[str, ...]
    name_en: str = ""


def _group_list(industries):
    """The qualifying industry groups as the verdict's sentence names them, in the language
    active when it is shown: ``J582 軟體出版業、J62 …`` in zh-Hant, ``J582 Software publishing,
    J62 …`` in English."""
    english = translation.get_language() == "en"
    return join_list(
        f"{g.code} {(g.name_en or g.name_zh) if english else g.name_zh}" for g in industries
    )


group_list = lazy(_group_list, str)
# The matched codes joined when the reason is shown (、 in zh-Hant, ", " in English).
lazy_join_list = lazy(join_list, str)
# A date as the page's language writes it when the reason is shown (民國 in zh-Hant, ISO in
# English), as every other date on the pages.
lazy_date = lazy(roc_date, str)


@dataclass(frozen=True)
class CallRules:
    """What the call configures: eligible industries, legal forms, the start-up date, the
    contact."""

    industries: tuple[IndustryGroup, ...]
    startup_founded_on_or_after: datetime.date
    today: datetime.date
    admitted_legal_forms: tuple[str, ...] = ADMITTED_LEGAL_FORMS
    service_email: str = ""
    service_phone: str = ""

    @classmethod
    def from_call(cls, call, today: datetime.date) -> CallRules:
        """Adapt a ``calls.Call`` (its ``industries`` JSON and dates) to the rules' input."""
        groups = tuple(
            IndustryGroup(
                code=item.get("code", ""),
                name_zh=item.get("name_zh", ""),
                name_en=item.get("name_en", ""),
                prefixes=tuple(item.get("prefixes", ())),
            )
            for item in call.industries or ()
        )
        return cls(
            industries=groups,
            startup_founded_on_or_after=call.startup_founded_on_or_after,
            today=today,
            admitted_legal_forms=tuple(call.admitted_legal_forms),
            service_email=call.service_email,
            service_phone=call.service_phone_zh,
        )


# What each rule's reason is about, as the staff's table of reasons names it (a reason's code,
# or the part before its list kind / declaration: ``list_barred_expired`` → 管制名單).
REASON_TOPICS = {
    "not_in_registry": _("稅籍登記資料"),
    "registry_not_loaded": _("稅籍登記資料"),
    "industry": _("行業別（登記營業項目）"),
    "branch": _("總機構或分公司"),
    "legal_form": _("組織別"),
    "startup": _("新創優先資格"),
    "list": _("管制名單"),
    "declared": _("企業聲明事項"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    message: str | Promise  # zh-Hant, translated lazily
    evidence: dict = field(default_factory=dict)
    severity: str = Severity.INFO

    @property
    def topic(self):
        """The rule this reason is about, for people (the code is for programs)."""
        return REASON_TOPICS.get(self.code) or REASON_TOPICS.get(self.code.split("_", 1)[0], "")

    @property
    def until(self) -> datetime.date | None:
        """The last day an operator's list entry applies (None: no end, or not a list)."""
        value = self.evidence.get("until")
        return datetime.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class MatchedIndustry:
    code: str
    name: str
    group_code: str
    group_name: str
    is_main: bool
    group_name_en: str = ""

    @property
    def group_label(self) -> str:
        """The group's name in the active language (the zh-Hant one where no English is set);
        the company's own item name stays as the registry has it, in Chinese."""
        if translation.get_language() == "en" and self.group_name_en:
            return self.group_name_en
        return self.group_name


@dataclass(frozen=True)
class Verdict:
    status: str  # VerdictStatus value
    reasons: tuple[Reason, ...]
    matched_industries: tuple[MatchedIndustry, ...] = ()
    is_branch: bool | None = None
    legal_form: str = ""
    founded_on: datetime.date | None = None
    # The tax data's 設立日期 is on or after the call's start-up date (``startup_since``): it
    # suggests the priority, which goes by the MOEA approval date the operator confirms.
    startup_priority: bool = False
    published_on: datetime.date | None = None
    startup_since: datetime.date | None = None

    @property
    def is_eligible(self) -> bool:
        return self.status == VerdictStatus.ELIGIBLE

    @property
    def status_label(self):
        return VerdictStatus(self.status).label

    @property
    def blocking_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity == Severity.BLOCKING)

    @property
    def check_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity == Severity.CHECK)


LIST_MESSAGES = {
    ListKind.SUSPENDED: _("目前仍在停權期間，不符合申請資格。"),
    ListKind.BARRED: _("因違反算力平台使用規範，停權下次申請資格乙次，不符合申請資格。"),
    ListKind.MAINLAND_CAPITAL: _("經查有陸資投資情形，不符合申請資格。"),
    ListKind.MAJOR_BREACH: _("最近3年內有執行政府計畫之重大違約紀錄，不符合申請資格。"),
    ListKind.SERIOUS_VIOLATION: _(
        "最近3年內有嚴重違反環境保護、勞工、食品安全衛生或身心障礙者權益保障相關法規之情事，"
        "不符合申請資格。"
    ),
}
DECLARATION_MESSAGES = {
    "no_mainland_capital": _("聲明有陸資投資，不符合申請資格。"),
    "no_major_breach": _("聲明近3年內曾有重大違約情事，不符合申請資格。"),
    "no_serious_violation": _(
        "聲明近3年內曾有違反環保、勞工、食安或身心障礙者權益相關法規且情節重大，不符合申請資格。"
    ),
}


# 組織別名稱 of a foreign (or mainland-Chinese) company: in Taiwan it can only do business
# through a branch it registers here (公司法 第371條), so its tax registration is a branch's.
FOREIGN_FORMS = ("外國公司", "大陸公司", "大陸地區公司")


def is_foreign_branch(record) -> bool:
    """A foreign for-profit enterprise's branch in Taiwan: no head office in the data set, its
    legal form names it (「外國公司在臺分公司」, or only 「外國公司」)."""
    form = (record.legal_form or "").strip()
    return not record.head_office_ubn and ("分公司" in form or form.startswith(FOREIGN_FORMS))


def is_branch(record) -> bool:
    """A branch (分公司): its head office's number is filled in, or its legal form names a branch
    (a foreign company's 在臺分公司). ``record``: a ``RegistryRecord`` or a ``TaxRecord`` row."""
    return bool(record.head_office_ubn) or is_foreign_branch(record)


def match_industries(
    industries: tuple[Industry, ...], groups: tuple[IndustryGroup, ...], main_listed: bool = True
) -> tuple[MatchedIndustry, ...]:
    """The company's codes that start with one of the groups' prefixes; the first is the main
    business when ``main_listed`` (its column was not blank)."""
    matched = []
    for position, industry in enumerate(industries):
        for group in groups:
            if any(industry.code.startswith(prefix) for prefix in group.prefixes if prefix):
                matched.append(
                    MatchedIndustry(
                        code=industry.code,
                        name=industry.name,
                        group_code=group.code,
                        group_name=group.name_zh,
                        is_main=main_listed and position == 0,
                        group_name_en=group.name_en,
                    )
                )
                break
    return tuple(matched)


def _active(mark: ListMark, today: datetime.date) -> bool:
    return mark.until is None or mark.until >= today


def _industry_verified(lists: OperatorLists, today: datetime.date) -> ListMark | None:
    """The operator's finding that the company's business items qualify, while it applies."""
    return next(
        (m for m in lists.marks if m.kind == ListKind.INDUSTRY_VERIFIED and _active(m, today)),
        None,
    )


def _list_reasons(lists: OperatorLists, today: datetime.date) -> list[Reason]:
    reasons = []
    for mark in lists.marks:
        if mark.kind == ListKind.INDUSTRY_VERIFIED:
            continue  # not a refusal: it settles the industry rule (evaluate)
        active = _active(mark, today)
        evidence = {
            "list": mark.kind,
            "reason": mark.reason,
            "until": mark.until.isoformat() if mark.until else None,
        }
        if active:
            message = LIST_MESSAGES.get(mark.kind, _("列於執行單位管制名單，不符合申請資格。"))
            reasons.append(Reason(f"list_{mark.kind}", message, evidence, Severity.BLOCKING))
        else:
            reasons.append(
                Reason(
                    f"list_{mark.kind}_expired",
                    format_lazy(
                        _("管制名單期限已於 {until} 屆滿，不再適用。"), until=lazy_date(mark.until)
                    ),
                    evidence,
                    Severity.INFO,
                )
            )
    return reasons


def _declaration_reasons(declarations: Declarations | None) -> list[Reason]:
    if declarations is None:
        return []
    reasons = []
    for name, message in DECLARATION_MESSAGES.items():
        if getattr(declarations, name) is False:
            reasons.append(Reason(f"declared_{name}", message, {name: False}, Severity.BLOCKING))
    return reasons


def evaluate(
    record: RegistryRecord | None,
    lists: OperatorLists,
    declarations: Declarations | None,
    config: CallRules,
    *,
    registry_loaded: bool = True,
    registry_published_on: datetime.date | None = None,
) -> Verdict:
    """Decide eligibility; every rule that applies leaves a reason with its evidence.
    ``registry_loaded``: whether any snapshot of the registry is in use (without one, a missing
    record says nothing about the company); ``registry_published_on``: that snapshot's
    publication date, which a number missing from it is told with (a business registered
    since is not in it yet)."""
    reasons: list[Reason] = []
    if record is None and not registry_loaded:
        reasons.append(
            Reason(
                "registry_not_loaded",
                _("尚未匯入財政部稅籍登記資料，無法自動查核，將由執行單位人工確認申請資格。"),
                {},
                Severity.CHECK,
            )
        )
    elif record is None and registry_published_on is not None:
        reasons.append(
            Reason(
                "not_in_registry",
                format_lazy(
                    _(
                        "財政部稅籍登記資料（{date}發布）查無此統一編號，無法自動查核"
                        "（該日以後設立或變更登記之營業人可能尚未列入），"
                        "將由執行單位人工確認申請資格。"
                    ),
                    date=lazy_date(registry_published_on),
                ),
                {"published_on": registry_published_on.isoformat()},
                Severity.CHECK,
            )
        )
    elif record is None:
        reasons.append(
            Reason(
                "not_in_registry",
                _("稅籍登記資料查無此統一編號，無法自動查核，將由執行單位人工確認申請資格。"),
                {},
                Severity.CHECK,
            )
        )
    if record is None:
        reasons += _list_reasons(lists, config.today)
        reasons += _declaration_reasons(declarations)
        return Verdict(
            status=_status(reasons),
            reasons=tuple(reasons),
            published_on=registry_published_on if registry_loaded else None,
            startup_since=config.startup_founded_on_or_after,
        )

    published = {"published_on": record.published_on.isoformat()} if record.published_on else {}

    # 1. Industry.
    matched = match_industries(record.industries, config.industries, record.main_listed)
    all_codes = [{"code": i.code, "name": i.name} for i in record.industries]
    if matched:
        reasons.append(
            Reason(
                "industry",
                format_lazy(
                    _("登記營業項目符合：{codes}"),
                    codes=lazy_join_list([f"{m.code} {m.name}" for m in matched]),
                ),
                {
                    "matched": [
                        {"code": m.code, "name": m.name, "group": m.group_code, "main": m.is_main}
                        for m in matched
                    ],
                    "codes": all_codes,
                    **published,
                },
                Severity.INFO,
            )
        )
    elif verified := _industry_verified(lists, config.today):
        reasons.append(
            Reason(
                "industry",
                format_lazy(
                    _(
                        "登記營業項目經執行單位依財政部稅籍登記資料公示查詢人工查核，符合資格：{note}"
                    ),
                    note=verified.reason,
                ),
                {
                    "codes": all_codes,
                    "verified_by_operator": verified.reason,
                    "until": verified.until.isoformat() if verified.until else None,
                    **published,
                },
                Severity.INFO,
            )
        )
    else:
        groups = "、".join(f"{g.code} {g.name_zh}" for g in config.industries)
        reasons.append(
            Reason(
                "industry",
                format_lazy(
                    _("登記營業項目（行業代號）均不屬於 {groups}。")
                    if record.industries
                    # Nothing to compare: the operator checks the items on the eTax portal.
                    else _(
                        "稅籍登記資料未載登記營業項目（行業代號），無法判斷是否屬於 {groups}，"
                        "將由執行單位人工確認。"
                    ),
                    groups=group_list(config.industries),
                ),
                {"codes": all_codes, "required": groups, **published},
                Severity.BLOCKING if record.industries else Severity.CHECK,
            )
        )

    # 2. Branch (head office filled in, or a foreign company's branch by its legal form).
    form = record.legal_form.strip()
    branch = is_branch(record)
    if branch:
        reasons.append(
            Reason(
                "branch",
                # A domestic branch's head office may apply; a foreign enterprise's may not (the
                # rule admits only what is registered in Taiwan), so it is not sent there.
                format_lazy(
                    _("分公司不得申請（總機構統一編號：{head}），請由總機構提出申請。"),
                    head=record.head_office_ubn,
                )
                if record.head_office_ubn
                else format_lazy(
                    _("外國營利事業在臺設立之分公司（組織別：{form}）不得申請。"), form=form
                ),
                {"head_office_ubn": record.head_office_ubn, "legal_form": form},
                Severity.BLOCKING,
            )
        )

    # 3. Legal form.
    if not form:
        reasons.append(
            Reason(
                "legal_form",
                _("稅籍登記資料未載組織別，將由執行單位人工確認。"),
                {"legal_form": ""},
                Severity.CHECK,
            )
        )
    elif not branch and form not in config.admitted_legal_forms:
        reasons.append(
            Reason(
                "legal_form",
                format_lazy(
                    _("組織別「{form}」不在本次徵件受理之組織別（{admitted}）。"),
                    form=form,
                    admitted=lazy_join_list(config.admitted_legal_forms),
                ),
                {"legal_form": form, "admitted_legal_forms": list(config.admitted_legal_forms)},
                Severity.BLOCKING,
            )
        )

    # 4. Start-up priority (a flag, not a requirement) — a company's, never a branch's.
    startup = bool(
        not branch and record.founded_on and record.founded_on >= config.startup_founded_on_or_after
    )
    evidence = {
        "founded_on": record.founded_on.isoformat() if record.founded_on else None,
        "startup_founded_on_or_after": config.startup_founded_on_or_after.isoformat(),
    }
    if branch:
        pass  # the branch reason above already says why it cannot apply
    elif record.founded_on is None:
        reasons.append(
            Reason("startup", _("稅籍登記資料未載設立日期，無新創優先資格之依據。"), evidence)
        )
    elif startup:
        reasons.append(
            Reason(
                "startup",
                format_lazy(
                    _("設立日期 {founded} 在 {since}（含）以後，具新創優先資格。"),
                    founded=lazy_date(record.founded_on),
                    since=lazy_date(config.startup_founded_on_or_after),
                ),
                evidence,
            )
        )
    else:
        reasons.append(
            Reason(
                "startup",
                format_lazy(
                    _("設立日期 {founded} 早於 {since}，不具新創優先資格（不影響申請資格）。"),
                    founded=lazy_date(record.founded_on),
                    since=lazy_date(config.startup_founded_on_or_after),
                ),
                evidence,
            )
        )

    # 5. The operator's lists and the company's own declarations.
    reasons += _list_reasons(lists, config.today)
    reasons += _declaration_reasons(declarations)

    return Verdict(
        status=_status(reasons),
        reasons=tuple(reasons),
        matched_industries=matched,
        is_branch=branch,
        legal_form=form,
        founded_on=record.founded_on,
        startup_priority=startup,
        published_on=record.published_on,
        startup_since=config.startup_founded_on_or_after,
    )


def _status(reasons: list[Reason]) -> str:
    severities = {r.severity for r in reasons}
    if Severity.BLOCKING in severities:
        return VerdictStatus.NOT_ELIGIBLE
    if Severity.CHECK in severities:
        return VerdictStatus.UNVERIFIABLE
    return VerdictStatus.ELIGIBLE


@dataclass(frozen=True)
class StartupPriority:
    """An application's start-up priority (優先資格): ``status`` a ``StartupPriorityStatus``
    value, ``basis`` why (``branch``; ``registry``: the tax data's date decides;
    ``no_registry_date``; ``dates_disagree``), the two dates it read. ``settlement``: the
    operator's finding, when ``status`` is theirs (``automatic_status`` keeps what the dates
    said)."""

    status: str
    basis: str
    since: datetime.date
    registry_founded_on: datetime.date | None = None
    declared_founded_on: datetime.date | None = None
    automatic_status: str = ""
    settlement: object = None

    @property
    def is_priority(self) -> bool:
        return self.status == StartupPriorityStatus.YES

    @property
    def to_check(self) -> bool:
        return self.status == StartupPriorityStatus.CHECK

    @property
    def label(self):
        return StartupPriorityStatus(self.status).label

    @property
    def message(self):
        """Why, in the page's language (the dates as it writes them); nothing for a branch."""
        dates = {
            "registry": lazy_date(self.registry_founded_on),
            "declared": lazy_date(self.declared_founded_on),
            "since": lazy_date(self.since),
        }
        if self.basis == "branch":
            return ""  # the branch fact says it; the branch reason says why it cannot apply
        if self.basis == "no_registry_date":
            if self.declared_founded_on is None:
                return format_lazy(
                    _(
                        "稅籍登記資料未載設立日期，請依經濟部商業發展署商工登記之核准設立日期"
                        "確認是否於 {since}（含）以後設立。"
                    ),
                    **dates,
                )
            return format_lazy(
                _(
                    "稅籍登記資料未載設立日期（申請表之設立登記日期：{declared}），請依經濟部"
                    "商業發展署商工登記之核准設立日期確認是否於 {since}（含）以後設立。"
                ),
                **dates,
            )
        if self.basis == "dates_disagree":
            return format_lazy(
                _(
                    "申請表之設立登記日期 {declared} 與稅籍登記資料之設立日期 {registry} 分屬 "
                    "{since} 前後，請依經濟部商業發展署商工登記之核准設立日期確認。"
                ),
                **dates,
            )
        if self.automatic_status == StartupPriorityStatus.YES:
            return format_lazy(
                _("稅籍登記資料之設立日期 {registry} 在 {since}（含）以後。"), **dates
            )
        return format_lazy(_("稅籍登記資料之設立日期 {registry} 早於 {since}。"), **dates)


def startup_priority(
    registry_founded_on: datetime.date | None,
    declared_founded_on: datetime.date | None,
    since: datetime.date,
    *,
    branch: bool = False,
) -> StartupPriority:
    """The start-up priority from the tax data's 設立日期 and the applicant's declared
    設立登記日期 (either may be None), for a call whose start-up date is ``since``. The
    programme document bases it on the MOEA approval date (核准設立日期), which either may
    differ from: the tax data's date decides only where the declared one agrees with it (or
    none was declared); where they fall on both sides of ``since``, or the tax data has no
    date, the operator checks. Never for a branch."""

    def made(status, basis):
        return StartupPriority(
            status=status,
            basis=basis,
            since=since,
            registry_founded_on=registry_founded_on,
            declared_founded_on=declared_founded_on,
            automatic_status=status,
        )

    if branch:
        return made(StartupPriorityStatus.NO, "branch")
    if registry_founded_on is None:
        return made(StartupPriorityStatus.CHECK, "no_registry_date")
    founded_since = registry_founded_on >= since
    if declared_founded_on is not None and (declared_founded_on >= since) != founded_since:
        return made(StartupPriorityStatus.CHECK, "dates_disagree")
    return made(
        StartupPriorityStatus.YES if founded_since else StartupPriorityStatus.NO, "registry"
    )
