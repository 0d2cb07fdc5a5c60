"""Background work of the registry (django-tasks): the import of an uploaded data set."""

from django_tasks import task

from . import uploads


@task()
def import_uploaded(job_id: int):
    return uploads.run(job_id)
