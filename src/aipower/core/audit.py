"""Writing the audit log. Callers pass what happened; never secrets (PINs, passwords, codes)."""

import logging

from .models import AuditEntry

logger = logging.getLogger("aipower.audit")


def client_ip(request):
    """The client's address. Behind a reverse proxy, configure it to set REMOTE_ADDR."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, request=None, actor=None, obj=None, **data):
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    entry = AuditEntry.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=client_ip(request),
        data=data,
    )
    logger.info("audit %s actor=%s object=%s:%s", action, actor, entry.object_type, entry.object_id)
    return entry
