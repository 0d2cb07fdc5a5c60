"""Points as people read them (``grants.presenters``): to the hundredth of a point — the
programme's smallest metering unit, 1,000 tokens, is 0.01 point — used rounded up, left rounded
down."""

from decimal import Decimal

import pytest

from aipower.grants import presenters

pytestmark = pytest.mark.unit

TOKENS_PER_POINT = 100_000
GPU_SECONDS_PER_POINT = 1_800


@pytest.mark.parametrize(
    ("units", "used", "left"),
    [
        # One metering unit (1,000 tokens) used of 1,000 points: it was shown as 0.1 used
        # (10,000 tokens) beside 999.9 left.
        (1_000, "0.01", "999.99"),
        (153_000, "1.53", "998.47"),
        (250_000, "2.5", "997.5"),
        (300_000, "3", "997"),
    ],
)
def test_inference_points_are_shown_to_the_metering_unit(units, used, left):
    granted = 1_000 * TOKENS_PER_POINT

    shown_used = presenters.display(presenters.points_up(units, TOKENS_PER_POINT))
    shown_left = presenters.display(presenters.points(granted - units, TOKENS_PER_POINT))

    assert (shown_used, shown_left) == (used, left)
    assert Decimal(shown_used) + Decimal(shown_left) == 1_000


def test_gpu_points_round_used_up_and_left_down_to_the_hundredth():
    # One GPU-hour and one second: 2.000555… points.
    seconds = 3_601

    assert presenters.points_up(seconds, GPU_SECONDS_PER_POINT) == Decimal("2.01")
    assert presenters.points(seconds, GPU_SECONDS_PER_POINT) == Decimal("2")


def test_display_groups_thousands_and_drops_trailing_zeros():
    assert presenters.display(Decimal("1234.50")) == "1,234.5"
    assert presenters.display(Decimal("2000.00")) == "2,000"
    assert presenters.display(Decimal("0.01")) == "0.01"
