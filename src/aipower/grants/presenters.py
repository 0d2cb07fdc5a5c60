"""Points and natural units as people read them: points = units / units_per_point, shown with
up to two decimals — the programme's smallest metering unit, 1,000 tokens, is 0.01 point — where
needed (used rounded up, left rounded down, so they add up to granted)."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


def tidy(value):
    """A Decimal without trailing zeros after its point: ``12.50`` → ``12.5``, ``3.00`` → ``3``."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    if value == value.quantize(TENTH):
        return value.quantize(TENTH)
    return value


def points(units, units_per_point, rounding=ROUND_FLOOR):
    """``units`` in points as a Decimal with at most two decimal places."""
    return tidy((Decimal(units) / Decimal(units_per_point)).quantize(HUNDREDTH, rounding=rounding))


def points_up(units, units_per_point):
    return points(units, units_per_point, ROUND_CEILING)


def display(value):
    """``1234.5`` → ``1,234.5``; ``2000`` → ``2,000``; ``0.01`` → ``0.01``."""
    return f"{tidy(value):,}"


def gpu_hours(seconds, rounding=ROUND_FLOOR):
    """GPU-seconds as GPU-hours with one decimal (rounded down unless told)."""
    return (Decimal(seconds) / 3600).quantize(TENTH, rounding=rounding)


def gpu_hours_up(seconds):
    """Used GPU-hours: rounded up, as used points are, so used and left add up."""
    return gpu_hours(seconds, ROUND_CEILING)


def percent_text(percent, used):
    """A share used, in whole ``percent``, as the pages write it before a ``%``: ``"<1"`` when
    something was ``used`` but less than one percent (``0`` read as nothing used)."""
    return "<1" if percent == 0 and used > 0 else str(percent)
