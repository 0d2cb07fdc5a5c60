"""Signal receivers: an award opens its allowance."""


def on_award_created(sender, award, **kwargs):
    from .services import open_allowance

    open_allowance(award)
