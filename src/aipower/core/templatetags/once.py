"""``{% once_field %}``: the hidden one-time token of a form that must act once (``core.once``),
new at every rendering."""

from django import template
from django.utils.html import format_html

from aipower.core import once

register = template.Library()


@register.simple_tag
def once_field():
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
