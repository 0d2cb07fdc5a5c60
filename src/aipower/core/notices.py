"""The one store of the notices the system mails: ``NotificationTemplate`` rows, one per kind.

Each template has a zh-Hant and an English subject and body in Django template syntax (plain
text, no autoescaping, no ``{% load %}``, no includes). The defaults and each kind's variables
are in ``notice_texts`` (apps above core add theirs with ``register``); ``seed_templates``
copies the defaults in once (migrations, and lazily on first use) and never overwrites what the
operator edited. ``render`` gives one language; ``bilingual`` gives the applicant's format:
subject "zh / en", body zh, "----- English -----", en.
"""

from django.conf import settings
from django.template import Context, Engine
from django.template.base import FilterExpression, Node, Variable
from django.template.defaulttags import ForNode, WithNode
from django.utils import translation
from django.utils.functional import lazy

from .i18n import localized
from .notice_texts import DEFAULT_TEMPLATES, VARIABLES

# Which Django language each template column is rendered under (labels, dates).
LANGUAGES = {"zh": "zh-hant", "en": "en"}
# Names every template may use without the code providing them.
BUILTIN_NAMES = frozenset({"forloop", "True", "False", "None"})

_engine = Engine(autoescape=False)


def register(defaults, variables):
    """Add another app's notice kinds to the catalogue (from its ``AppConfig.ready``), in the
    format of ``notice_texts``: their defaults are seeded and their variables checked like
    the kinds listed there. core never imports the apps above it; they register here."""
    if set(defaults) != set(variables):
        raise ValueError("every registered notice needs its defaults and its variables")
    DEFAULT_TEMPLATES.update(defaults)
    VARIABLES.update(variables)


def _model():
    from .models import NotificationTemplate

    return NotificationTemplate


def seed_templates(model=None, defaults=None):
    """Create the templates of ``defaults`` (every registered kind by default) that do not exist
    yet; edited ones are kept. Idempotent; ``model`` is a migration's historical model."""
    model = model or _model()
    defaults = DEFAULT_TEMPLATES if defaults is None else defaults
    existing = set(model.objects.filter(key__in=defaults).values_list("key", flat=True))
    created = 0
    for key, (description, subject, body) in defaults.items():
        if key in existing:
            continue
        model.objects.create(
            key=key,
            description=description,
            subject_zh=subject[0],
            subject_en=subject[1],
            body_zh=body[0],
            body_en=body[1],
        )
        created += 1
    return created


def service_contact(call):
    """The operator's contact (the programme's 聯繫窗口) a notice names where it tells people
    whom to ask: the call's 申請客服信箱 and 申請諮詢專線, the line written in the language the
    notice is rendered in (lazy: not the language of the page that caused the notice)."""
    if call is None:
        return {"service_email": "", "service_phone": ""}
    return {
        "service_email": call.service_email,
        "service_phone": lazy(lambda: localized(call, "service_phone"), str)(),
    }


def compile_source(source):
    """The compiled template; raises ``TemplateSyntaxError``."""
    return _engine.from_string(source or "")


def render(key, context, language="zh"):
    """(subject, body) of template ``key`` in ``language`` ("zh" or "en") with ``context``.

    The subject is one line; the body is kept as written. Rendered under that language, so
    lazy labels in the context come out in it too."""
    model = _model()
    template = model.objects.filter(key=key).first()
    if template is None:
        seed_templates()
        template = model.objects.get(key=key)
    subject = getattr(template, f"subject_{language}") or template.subject_zh
    body = getattr(template, f"body_{language}") or template.body_zh
    with translation.override(LANGUAGES[language]):
        ctx = Context(context, autoescape=False)
        subject = compile_source(subject).render(ctx)
        body = with_site_line(compile_source(body).render(ctx), language)
    return " ".join(subject.split()), body


# The line every notice ends with when the site's address is configured (``SITE_URL``): where
# to sign in. Not part of the operator's templates, so no edited template can lose it.
SITE_LINES = {"zh": "AI算力平台：{url}", "en": "AI Compute Platform: {url}"}


def with_site_line(body, language):
    """``body`` ending with the site's address in ``language`` (as it is without one)."""
    url = settings.SITE_URL
    if not url:
        return body
    return body.rstrip() + "\n\n" + SITE_LINES[language].format(url=url) + "\n"


def bilingual(key, context_for):
    """Subject and body of an applicant's notice: zh-Hant, then English, one mail.

    ``context_for(language)`` ("zh-hant" or "en") gives each language's context (dates)."""
    parts = []
    for language, django_language in LANGUAGES.items():
        with translation.override(django_language):
            context = context_for(django_language)
        subject, body = render(key, context, language)
        parts.append((subject, body.strip()))
    (zh_subject, zh_body), (en_subject, en_body) = parts
    return f"{zh_subject} / {en_subject}", f"{zh_body}\n\n----- English -----\n\n{en_body}\n"


# --- which variables a template uses ------------------------------------------------------------


def _expressions(value, seen):
    """Every FilterExpression inside a node's attribute (conditions, arguments, lists)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, FilterExpression):
        yield value
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _expressions(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item, seen)
    elif hasattr(value, "__dict__") and not isinstance(value, Node | type):
        # {% if %} conditions: smartif operators and literals (first, second, value)
        for name in ("first", "second", "value"):
            if name in vars(value):
                yield from _expressions(vars(value)[name], seen)


def _names(expression):
    variables = [expression.var] + [
        arg for _func, args in expression.filters for _lookup, arg in args
    ]
    for variable in variables:
        if isinstance(variable, Variable) and variable.lookups:
            yield variable.lookups[0]


def used_variables(source):
    """The top-level names ``source`` reads, less those it binds itself ({% for %}, {% with %})."""
    nodes = compile_source(source).nodelist.get_nodes_by_type(Node)
    used, bound = set(), set()
    for node in nodes:
        if isinstance(node, ForNode):
            bound.update(node.loopvars)
        if isinstance(node, WithNode):
            bound.update(node.extra_context)
        seen = set()
        for attribute in vars(node).values():
            if isinstance(attribute, Node):
                continue
            for expression in _expressions(attribute, seen):
                used.update(_names(expression))
    return used - bound - BUILTIN_NAMES


def unknown_variables(key, source):
    """The names ``source`` uses that notice ``key`` does not provide (sorted); none for a key
    the code does not know. Raises ``TemplateSyntaxError`` for broken syntax."""
    used = used_variables(source)  # raises TemplateSyntaxError
    if key not in VARIABLES:
        return []
    return sorted(used - set(VARIABLES[key]))


def variables_of(key):
    return VARIABLES.get(key, ())
