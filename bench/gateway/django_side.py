"""The benchmark's database work, run under the gateway's own settings (a subprocess).

python bench/gateway/django_side.py setup <mock base url>   → JSON {key, model, award}
python bench/gateway/django_side.py cap <award> <units>     → leave only <units> granted
python bench/gateway/django_side.py check <award>           → JSON ledger figures
"""

import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def setup(mock_url):
    from django.core.management import call_command
    from django.utils import timezone

    from aipower.accounts.models import Company
    from aipower.calls.seed import seed_call
    from aipower.devtools.demo_grants import grant_inference_award
    from aipower.gateway.core import public_model_id
    from aipower.gateway.services import create_key, route_model, upstream

    call_command("migrate", verbosity=0)
    call = seed_call(115)
    company, _ = Company.objects.get_or_create(
        ubn="52880483", defaults={"name": "山嵐資訊有限公司"}
    )
    model = call.models.filter(offered_inference=True).order_by("order").first()
    route_model(model, upstream("bench-mock", mock_url, timeout=30))
    today = timezone.localdate()
    award = grant_inference_award(
        company,
        call,
        points=6000,
        models=[model],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )
    _key, secret = create_key(company, award, "bench", rate_limit=10_000_000)
    return {"key": secret, "model": public_model_id(model), "award": award.pk}


def cap(award_id, units):
    """A fresh allowance state with only ``units`` left: a new award for a new company."""
    from aipower.grants.models import Allowance
    from aipower.grants.services import adjust

    allowance = Allowance.objects.get(award_id=award_id)
    left = allowance.granted_units - allowance.used_units - allowance.reserved_units
    adjust(allowance, int(units) - left, "benchmark: hard-cap race", None)
    allowance.refresh_from_db()
    return {"granted": allowance.granted_units, "used": allowance.used_units}


def check(award_id):
    from django.db.models import Sum

    from aipower.gateway.models import MeteredRequest
    from aipower.grants.models import Allowance, Reservation
    from aipower.grants.services import ledger_mismatch

    allowance = Allowance.objects.get(award_id=award_id)
    records = MeteredRequest.objects.filter(award_id=award_id)
    sums = records.aggregate(prompt=Sum("prompt_tokens"), completion=Sum("completion_tokens"))
    return {
        "granted_units": allowance.granted_units,
        "used_units": allowance.used_units,
        "left_units": allowance.granted_units - allowance.used_units - allowance.reserved_units,
        "reserved_units": allowance.reserved_units,
        "exact_units": allowance.exact_units,
        "state": allowance.state,
        "open_reservations": Reservation.objects.filter(
            allowance=allowance, settled_at__isnull=True
        ).count(),
        "metered_tokens": (sums["prompt"] or 0) + (sums["completion"] or 0),
        "metered_requests": records.count(),
        "ledger_mismatch": {k: list(v) for k, v in ledger_mismatch(allowance).items()},
    }


def main():
    import django

    django.setup()
    command, *args = sys.argv[1:]
    result = {"setup": setup, "cap": cap, "check": check}[command](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
