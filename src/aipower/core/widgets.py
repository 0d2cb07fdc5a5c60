"""Form widgets shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, ``<input type="date">``. It accepts ISO dates only, so a value
    is always written ``2026-11-28``, never in the language's input format (``2026/11/28`` in
    zh-Hant), which the browser would show as an empty box."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
