"""Inline admins given one of our admin mixins.

An admin of ours (``RocDateFieldsMixin``, ``LabelledWidgetsMixin``) applies its behaviour to its
inlines too, whatever class each inline was declared with: ``with_mixin`` makes (once per pair)
the inline's subclass that also has the mixin.
"""

import functools


@functools.cache
def with_mixin(mixin, inline):
    """``inline`` (an InlineModelAdmin class) with ``mixin`` first in its bases."""
    if issubclass(inline, mixin):
        return inline
    return type(
        inline.__name__,
        (mixin, inline),
        {"__module__": inline.__module__, "__doc__": inline.__doc__},
    )
