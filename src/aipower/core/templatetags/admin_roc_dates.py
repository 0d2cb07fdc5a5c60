"""``{% roc_date_hierarchy cl %}``: the admin's ``{% date_hierarchy cl %}`` with its years,
months and days in the site's format (``core.admin_dates.date_hierarchy_in_site_format``),
rendered with the same, overridable, ``date_hierarchy.html``."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from aipower.core.admin_dates import date_hierarchy_in_site_format

register = template.Library()


@register.tag(name="roc_date_hierarchy")
def roc_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=date_hierarchy_in_site_format,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
