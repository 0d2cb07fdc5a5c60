"""CSV downloads that a spreadsheet opens safely: a cell starting like a formula is read as text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that a spreadsheet will not read as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text
