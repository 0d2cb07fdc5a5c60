"""Sending a handed-in file: always as an attachment with the type its extension allows
(never guessed from the content), so that nothing uploaded is rendered by the browser."""

from pathlib import Path

from django.http import FileResponse, Http404

from .validators import content_type


def file_response(submission):
    try:
        handle = submission.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = submission.original_name or Path(submission.file.name).name
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type(Path(submission.file.name).suffix.lower()),
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
