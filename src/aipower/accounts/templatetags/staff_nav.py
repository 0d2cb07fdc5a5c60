"""The staff pages' navigation (``core/_staff_nav.html``): the staff home, the review pages and
the sections of the staff home's ``staff_links`` — exactly the pages the member's role may open,
from the same predicates (``accounts.rules``) as the views' ``staff_required``."""

from django import template
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import rules
from ..views.staff import staff_links

register = template.Library()
# Namespaces with more than one section, or none of ours: only an exact match is current.
NOT_A_SECTION = {"", "staff", "admin"}


def staff_sections(user):
    """(label, url) of every section the user's role may open; nothing for anyone else."""
    if not rules.is_staff_member(user):
        return []
    sections = [(_("工作人員首頁"), reverse("staff:home"))]
    if rules.can_score(user):
        sections.append((_("審查案件"), reverse("review:mine")))
    elif rules.can_view_company(user):
        sections.append((pgettext("staff navigation", "審查梯次"), reverse("review:index")))
    sections += [(link[0], link[2]) for link in staff_links(user)]
    return sections


def _namespace(url):
    try:
        return resolve(url).namespace
    except Resolver404:
        return ""


@register.simple_tag(takes_context=True)
def staff_nav(context):
    """The sections as dicts: label, url, and ``current`` ("page" for this very page, "true"
    for a page inside the section, "" otherwise) for ``aria-current``."""
    request = context.get("request")
    if request is None:
        return []
    match = request.resolver_match
    here = match.namespace if match else ""
    sections = staff_sections(request.user)
    inside = _section_of(request.path, here, sections)
    items = []
    for label, url in sections:
        if url == request.path:
            current = "page"
        elif url == inside:
            current = "true"
        else:
            current = ""
        items.append({"label": label, "url": url, "current": current})
    return items


def _section_of(path, here, sections):
    """The url of the one section a page inside it belongs to (None: the page is a section's
    own, or in none): of the sections in the page's namespace, the one whose address is the
    longest start of the page's, else the first — so that 稽核紀錄 (/staff/review/audit/) and
    審查梯次 (/staff/review/), both in ``review``, are not both marked on a batch's page."""
    if here in NOT_A_SECTION or any(url == path for _label, url in sections):
        return None
    candidates = [url for _label, url in sections if _namespace(url) == here]
    prefixes = [url for url in candidates if path.startswith(url)]
    if prefixes:
        return max(prefixes, key=len)
    return candidates[0] if candidates else None
