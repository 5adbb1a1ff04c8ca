"""The empty public forms, rendered once per process instead of once per visitor.

A registration form's fields (crispy-bootstrap5 layout, about 30 fields and 100 boxes) took
~25 ms of template rendering per request and were the same for every visitor. In a template:

    {% load blank_forms %}
    {% csrf_token %}
    {% blankform form %}{% crispy form %}{% endblankform %}

renders its content normally, and when `form` is blank (`form.is_blank()`: built with no
argument at all, unbound, with no error) keeps the HTML in this process under a key made of
the template's place, the form's class, the active language, the script prefix (the links it
holds) and `form.blank_key()` (what the empty form shows from the database: the young
person's form's active publics). The next blank form of that key gets the same HTML without
rendering it. Anything per request stays outside the block: the CSRF token (`{% csrf_token %}`
before it), the error summary, the page around it. Content holding a CSRF token is never
stored (crispy's own token is turned off: `helper.disable_csrf`). A bound form, a form given
`initial` values (a referral's prefill) or any other argument is rendered normally every time
and never stored.

Nothing here is state in the sense of « per-process data »: the same key gives the same HTML
in every process, so any web process answers the same. The store is bounded (a few entries:
two forms × the versions of their data) and emptied when a setting changes (tests).
"""

from django import template
from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

CSRF_FIELD = 'name="csrfmiddlewaretoken"'

# At most this many renderings kept; beyond, the store starts again.
MAX_ENTRIES = 32
_rendered: dict[tuple, str] = {}


def clear() -> None:
    _rendered.clear()


def _forget_on_setting_change(**kwargs) -> None:
    clear()


setting_changed.connect(_forget_on_setting_change)


class BlankFormNode(template.Node):
    def __init__(self, form, nodelist):
        self.form = form
        self.nodelist = nodelist

    def render(self, context):
        form = self.form.resolve(context)
        blank = getattr(form, "is_blank", None)
        if blank is None or not blank():
            return self.nodelist.render(context)
        key = (
            self.origin.name if self.origin else "",
            self.token.position if self.token else None,
            type(form).__module__,
            type(form).__qualname__,
            get_language(),
            get_script_prefix(),
            form.blank_key(),
        )
        html = _rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if CSRF_FIELD in html:
                # A visitor's token must never be served to the next one.
                return html
            if len(_rendered) >= MAX_ENTRIES:
                # Only old versions of the data pile up: start again.
                _rendered.clear()
            _rendered[key] = html
        return html


@register.tag
def blankform(parser, token):
    """`{% blankform form %}…{% endblankform %}`: the content, rendered once per key while
    `form` is blank (see the module)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% blankform %} takes one argument: the form.")
    nodelist = parser.parse(("endblankform",))
    parser.delete_first_token()
    return BlankFormNode(parser.compile_filter(bits[1]), nodelist)
