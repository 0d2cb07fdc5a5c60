"""A task waiting for the worker (django-tasks-db), as the health checks and the staff home's
warning look for it."""

import datetime

from django.utils import timezone


def queued_task(minutes_ago):
    """A task enqueued ``minutes_ago`` minutes ago that no worker has taken."""
    from django_tasks_db.models import DBTaskResult

    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="aipower.registry.tasks.import_uploaded",
        backend_name="default",
        run_after=at,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=at)
    return task
