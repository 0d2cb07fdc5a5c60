"""Request bodies refused from their declared size, before anything reads (and stores) them.

Django parses a multipart body — writing its files to disk — as soon as anything asks for
``request.POST`` or ``request.FILES``, the CSRF check included. A view that takes large files
therefore checks ``too_large`` first, in a CSRF-exempt outer view, and checks CSRF itself after
(``csrf_protect`` on the inner view): the deliverables, the registry's data set.
"""

# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def declared_size(request) -> int:
    """The body's Content-Length (0 when absent or unreadable)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large(request, file_limit: int) -> bool:
    """Whether the body is larger than a file of ``file_limit`` bytes and the form around it."""
    return declared_size(request) > file_limit + FORM_OVERHEAD_BYTES
