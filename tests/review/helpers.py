"""Shortcuts through the review services for tests that need an application further along."""

from aipower.applications.enums import ApplicationState as S
from aipower.review import services
from aipower.review.models import Assignment


def make_eligible(app, operator):
    return services.decide_eligibility(app, S.ELIGIBLE, operator)


def score_uniformly(assignment, reviewer, value, tier="L2", submit=True):
    """Every criterion scored ``value`` (so the weighted total is ``value``)."""
    criteria = services.criteria_of(assignment.application)
    return services.save_scores(
        assignment,
        reviewer,
        scores={c.pk: (value, f"評語 {c.key}") for c in criteria},
        overall_comment="總評",
        suggested_tier=tier,
        submit=submit,
    )


def assign_and_declare(app, reviewers, operator, conflicts=()):
    assignments = []
    for reviewer in reviewers:
        assignment = services.assign_reviewer(app, reviewer, operator)
        services.declare_conflict(
            assignment, reviewer, has_conflict=reviewer in conflicts, reason="曾任顧問"
        )
        assignments.append(Assignment.objects.get(pk=assignment.pk))
    return assignments


def full_review(apps, operator, reviewers, values=(80, 82, 78)):
    """Freeze the batch, make ``apps`` eligible and have every reviewer score them (``values``,
    one per reviewer)."""
    services.freeze_batch(apps[0].batch, operator)
    for app in apps:
        make_eligible(app, operator)
        for assignment, value in zip(
            assign_and_declare(app, reviewers, operator), values, strict=True
        ):
            score_uniformly(assignment, assignment.reviewer, value)
