"""Review criteria the reviewers have scored against keep their weights: every weighted total
(the submitted sheets', the meeting's ranking, an approved list's) is read with the criteria's
weights as they are now, so changing one, deleting one or adding one would silently rewrite
them. The admin refuses it and says why; a category nobody has scored is changed as before."""

import pytest

from aipower.calls.enums import CategoryKind
from aipower.calls.models import Category
from aipower.core.models import AuditEntry
from tests.applications.conftest import make_company_user, open_now
from tests.review.conftest import make_staff, submitted
from tests.review.helpers import assign_and_declare, make_eligible, score_uniformly

from .test_admin import _change_category

pytestmark = pytest.mark.integration

REFUSED = "已有審查委員依本類別之審查重點評分，審查重點與權重不得再變更"


@pytest.fixture
def scored(call_115, operator):
    """The inference category with one application scored by one reviewer (submitted)."""
    call = open_now(call_115)
    company = make_company_user("04595257", "甲智能股份有限公司")
    app = submitted(company, call, "inference")
    make_eligible(app, operator)
    reviewer = make_staff("rev1", "reviewer")
    (assignment,) = assign_and_declare(app, [reviewer], operator)
    score_uniformly(assignment, reviewer, 80)
    return Category.objects.get(call=call, kind=CategoryKind.INFERENCE)


def weights(category):
    return list(category.criteria.order_by("order").values_list("weight", flat=True))


def test_weights_of_a_scored_category_are_not_changed(scored, operator):
    before = weights(scored)

    response = _change_category(scored, operator, [30, 20, 20, 20, 10])

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert weights(scored) == before == [25, 25, 20, 20, 10]
    assert not AuditEntry.objects.filter(object_type="calls.Criterion").exists()


def test_a_criterion_is_not_added_to_a_scored_category(scored, operator):
    index = scored.criteria.count()
    new_row = {
        "criteria-TOTAL_FORMS": str(index + 1),
        f"criteria-{index}-category": str(scored.pk),
        f"criteria-{index}-order": "99",
        f"criteria-{index}-key": "new_focus",
        f"criteria-{index}-name_zh": "新審查重點",
        f"criteria-{index}-weight": "0",
    }

    response = _change_category(scored, operator, weights(scored), more=new_row)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not scored.criteria.filter(key="new_focus").exists()


def test_a_scored_category_keeps_other_changes(scored, operator):
    """Its wording (and the criteria's names) may still be corrected."""
    response = _change_category(
        scored, operator, weights(scored), more={"tagline_zh": "降低導入門檻，快速驗證創意"}
    )

    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.tagline_zh == "降低導入門檻，快速驗證創意"


def test_the_other_category_is_changed_as_before(scored, operator):
    """Nobody scored a training application."""
    training = Category.objects.get(call=scored.call, kind=CategoryKind.TRAINING)

    response = _change_category(training, operator, [25, 20, 10, 20, 15, 10])

    assert response.status_code == 302
    assert weights(training) == [25, 20, 10, 20, 15, 10]


@pytest.fixture
def awarded(scored, operator):
    """The inference category with one award (its application reviewed and approved at L1)."""
    from aipower.calls.models import Tier
    from aipower.review import services

    app = scored.call.applications.get()
    reviewers = [make_staff(f"rev{n}", "reviewer") for n in (2, 3)]
    for assignment in assign_and_declare(app, reviewers, operator):
        score_uniformly(assignment, assignment.reviewer, 80)
    services.freeze_batch(app.batch, operator)
    services.stage_decision(
        app, operator, outcome="approved", tier=Tier.objects.get(call=app.call, code="L1")
    )
    services.approve_batch(app.batch, make_staff("org", "organiser"))
    assert scored.awards.count() == 1
    return scored


def test_what_a_point_is_worth_is_fixed_once_the_category_has_awards(awarded, operator):
    response = _change_category(
        awarded, operator, weights(awarded), more={"units_per_point": "200000"}
    )

    assert response.status_code == 200
    assert "本類別已有核定案，不得再變更" in response.content.decode()
    awarded.refresh_from_db()
    assert awarded.units_per_point == 100000


def test_what_a_point_is_worth_is_fixed_on_the_calls_page_too(awarded):
    from django.forms import modelform_factory

    from aipower.calls.admin import CallAdmin, CategoryForm

    (inline,) = [i for i in CallAdmin.inlines if i.model is Category]
    assert issubclass(inline.form, CategoryForm)
    form_class = modelform_factory(
        Category, form=inline.form, fields=["kind", "units_per_point", "metering_unit"]
    )
    form = form_class(
        {"kind": awarded.kind, "units_per_point": "200000", "metering_unit": "1000"},
        instance=awarded,
    )

    assert not form.is_valid()
    assert "本類別已有核定案，不得再變更" in str(form.errors["units_per_point"])


def test_what_a_point_is_worth_changes_before_any_award(scored, operator):
    response = _change_category(
        scored, operator, weights(scored), more={"units_per_point": "200000"}
    )

    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.units_per_point == 200000
