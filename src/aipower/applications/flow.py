"""The wizard as a list of step objects (the shape of pretalx's cfp flow, saved to the DB).

Each step knows its ``identifier``, ``title``, ``template`` and ``form_class``, whether it
applies to an application (``is_applicable``: the category pages apply to their category
only), whether it is complete (``is_complete``: its saved answers pass the full validation),
and what it does when done (``done``: write the page's answers into ``app.data``; the caller
saves). Nothing here touches the database except reading choices for the forms.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aipower.calls.enums import CategoryKind

from . import forms, options

logger = logging.getLogger(__name__)

TRAINING = CategoryKind.TRAINING
INFERENCE = CategoryKind.INFERENCE


def stamp(now):
    return timezone.localtime(now).isoformat(timespec="seconds")


class Step:
    identifier = ""
    title = ""
    template = "applications/step_form.html"
    form_class = forms.StepForm
    category = None  # a category page applies to that category only
    button = _("下一步")

    def __init__(self, identifier=None, title=None, form_class=None, category=None):
        self.identifier = identifier or self.identifier
        self.title = title or self.title
        self.form_class = form_class or self.form_class
        self.category = category or self.category

    def __repr__(self):
        return f"<Step {self.identifier}>"

    @property
    def section(self):
        return self.form_class.section

    def is_applicable(self, app):
        return self.category is None or app.category == self.category

    def stored(self, app):
        return app.section(self.section)

    def get_form(self, app, data=None, *, draft=True):
        if data is None:
            return self.form_class(app=app, draft=draft, initial=self.stored(app))
        return self.form_class(data, app=app, draft=draft)

    def full_form(self, app):
        """The saved answers, bound and validated in full (as at submission)."""
        data = self.form_class.data_from_stored(self.stored(app))
        return self.form_class(data, app=app, draft=False)

    def is_complete(self, app):
        return self.full_form(app).is_valid()

    def done(self, app, form, now):
        section = app.section(self.section)
        section.update(form.stored_values())
        app.data = {**app.data, self.section: section}


class CategoryStep(Step):
    identifier = "category"
    title = _("請選擇申請類別")
    template = "applications/step_category.html"
    form_class = forms.CategoryForm

    def stored(self, app):
        return {"category": app.category} if app.category else {}

    def is_complete(self, app):
        return bool(app.category)

    def done(self, app, form, now):
        # Answers of the other category stay in their own section: nothing is mixed.
        if form.is_valid():
            app.category = form.cleaned_data["category"]


class TermsStep(Step):
    identifier = "terms"
    title = _("申請注意事項及使用規範")
    template = "applications/step_terms.html"
    form_class = forms.TermsForm

    def is_complete(self, app):
        return bool(self.stored(app).get("read_at"))

    def done(self, app, form, now):
        section = self.stored(app)
        section.setdefault("read_at", stamp(now))
        app.data = {**app.data, "terms": section}


class ProfileStep(Step):
    identifier = "profile"
    title = _("企業基本資料表及個資同意書")
    template = "applications/step_profile.html"
    form_class = forms.ProfileForm
    button = _("儲存會員資料, 下一步")

    def get_form(self, app, data=None, *, draft=True):
        if data is None:
            initial = {**registry_prefill(app.company), **self.stored(app)}
            return self.form_class(app=app, draft=draft, initial=initial)
        return super().get_form(app, data, draft=draft)

    def done(self, app, form, now):
        before = self.stored(app)
        super().done(app, form, now)
        section = app.section("profile")
        if section.get("consent"):
            section["consent_at"] = before.get("consent_at") or stamp(now)
        else:
            section.pop("consent_at", None)
        app.data = {**app.data, "profile": section}


class DeclarationStep(Step):
    identifier = "declaration"
    title = _("算力使用者聲明及同意事項")
    template = "applications/step_declaration.html"
    form_class = forms.DeclarationForm

    def done(self, app, form, now):
        before = self.stored(app)
        agreed = bool(form.stored_values().get("agreed"))
        section = {"agreed": agreed}
        if agreed:
            at = before.get("agreed_at") or stamp(now)
            section["agreed_at"] = at
            # Eligibility rests on these self-declarations: keep each as an explicit answer.
            section["self_declarations"] = {
                key: {"answer": True, "at": at} for key in options.SELF_DECLARATIONS
            }
        app.data = {**app.data, "declaration": section}


class PledgeStep(Step):
    identifier = "pledge"
    title = _("切結書")
    template = "applications/step_pledge.html"
    form_class = forms.PledgeForm
    button = _("送出，並完成申請")

    def stored(self, app):
        section = super().stored(app)
        if section.get("category") != app.category:
            # The confirmation names the category: one given for the other category (before a
            # switch) is not carried over, so the page asks for the new one unticked.
            section.pop("category_confirmed", None)
            section.pop("at", None)
        return section

    def done(self, app, form, now):
        section = form.stored_values()
        if section.get("understood") and section.get("category_confirmed"):
            section["at"] = self.stored(app).get("at") or stamp(now)
        section["category"] = app.category
        app.data = {**app.data, "pledge": section}

    def is_complete(self, app):
        stored = self.stored(app)
        return super().is_complete(app) and stored.get("category") == app.category


class DoneStep(Step):
    identifier = "done"
    title = _("您已完成申請表單")
    template = "applications/step_done.html"
    form_class = forms.StepForm

    def is_complete(self, app):
        return app.is_submitted


STEPS = [
    CategoryStep(),
    TermsStep(),
    ProfileStep(),
    DeclarationStep(),
    Step("training-1", _("專案主題及使用模型"), forms.TrainingProjectForm, TRAINING),
    Step("training-2", _("專案重要性及訓練資料集"), forms.TrainingImportanceForm, TRAINING),
    Step("training-3", _("預期效益合理性"), forms.TrainingBenefitForm, TRAINING),
    Step("training-4", _("預計產品化階段說明及其他需求"), forms.TrainingProductForm, TRAINING),
    Step("inference-1", _("專案主題及使用模型"), forms.InferenceProjectForm, INFERENCE),
    Step("inference-2", _("專案重要性及應用情境"), forms.InferenceImportanceForm, INFERENCE),
    Step("inference-3", _("預期效益合理性"), forms.InferenceBenefitForm, INFERENCE),
    Step("inference-4", _("預計產品化階段說明及其他需求"), forms.InferenceProductForm, INFERENCE),
    PledgeStep(),
    DoneStep(),
]
STEPS_BY_ID = {step.identifier: step for step in STEPS}
# Steps whose answers can be updated after submission (the category is never editable).
UPDATABLE_AFTER_SUBMISSION = {
    "profile",
    *(step.identifier for step in STEPS if step.category is not None),
}


def get_step(identifier):
    return STEPS_BY_ID.get(identifier)


def applicable_steps(app):
    return [step for step in STEPS if step.is_applicable(app)]


def next_step(app, step):
    steps = applicable_steps(app)
    if step not in steps:
        return steps[0]
    index = steps.index(step)
    return steps[min(index + 1, len(steps) - 1)]


def previous_step(app, step):
    steps = applicable_steps(app)
    if step not in steps or steps.index(step) == 0:
        return None
    return steps[steps.index(step) - 1]


def first_incomplete_step(app):
    """The first applicable step (before 您已完成申請表單) whose saved answers are not complete."""
    for step in applicable_steps(app):
        if step.identifier == DoneStep.identifier:
            return None
        if not step.is_complete(app):
            return step
    return None


def progress(app, current):
    """The progress header: every applicable step, done / current, done ones linkable."""
    return [
        {
            "step": step,
            "done": step.is_complete(app),
            "current": step is current,
        }
        for step in applicable_steps(app)
    ]


def registry_prefill(company):
    """設立登記日期 / 實收資本額 / 通訊地址 from the tax registry's current snapshot, when the
    company is in it. The registry is a convenience: without it the company types them."""
    try:
        from aipower.registry.services import company_profile
    except ImportError:
        return {}
    try:
        profile = company_profile(company.ubn, company.name)
    except Exception:  # a registry problem is never a reason to fail the wizard's page
        logger.exception("registry look-up failed for the company profile")
        return {}
    if not profile.from_registry:
        return {}
    values = {"address": profile.address}
    if profile.founded_on is not None:
        values["founded_on"] = profile.founded_on.isoformat()
    if profile.capital is not None:
        values["paid_in_capital"] = profile.capital
    return {key: value for key, value in values.items() if value not in (None, "")}
