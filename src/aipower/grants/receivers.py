"""Signal receivers: an award opens its allowance."""


def on_award_created(sender, award, **kwargs):
    from .services import open_allowance

    # Granted when the award was approved: the ledger's grant entry is dated then, also for an
    # approval recorded after the fact (the demo's past review), not when the signal ran.
    open_allowance(award, now=award.approved_at)
