"""Signals of the review app: the seams later apps (grants) connect to without being imported.

``award_created`` is sent with ``sender=Award`` and ``award=<Award>`` inside the transaction
that creates the award, so a receiver that opens the points ledger commits or rolls back with it.
"""

from django.dispatch import Signal

award_created = Signal()
