"""Private storage of the uploaded deliverables.

Files live under ``settings.DELIVERABLES_ROOT`` (env ``AIPOWER_DELIVERABLES_ROOT``, default
``<VAR_DIR>/private/deliverables``),
outside the static and media roots: they have no URL and are only ever sent by the
permission-checked download views. The root is read on each use, so tests can point it
elsewhere with ``settings``.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def deliverables_root():
    return Path(settings.DELIVERABLES_ROOT)


class PrivateStorage(FileSystemStorage):
    """A file-system storage without URLs, rooted at ``deliverables_root()``."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @property
    def base_location(self):
        return str(deliverables_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("deliverables have no public URL; use the download views")


_storage = PrivateStorage()


def private_storage():
    """The storage of ``Submission.file`` (a callable, so migrations do not freeze a path)."""
    return _storage


def upload_to(instance, filename):
    """``<award id>/<item>/<random hex><extension>``: nothing the company typed is in the path."""
    extension = Path(filename).suffix.lower()[:10]
    return f"{instance.award_id}/{instance.item}/{uuid.uuid4().hex}{extension}"


def orphans(known_names, older_than):
    """Files under the root that no submission names and that were last written before
    ``older_than`` (a timestamp): left by an upload whose transaction rolled back after the
    file was written. Younger files are left alone (an upload may be committing right now)."""
    root = deliverables_root()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if name not in known_names and path.stat().st_mtime < older_than:
            found.append(path)
    return found
