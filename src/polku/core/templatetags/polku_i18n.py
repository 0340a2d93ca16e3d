"""Django's `i18n` template library with one change: `{% translate "text" %}` of a quoted text without
filters looks its translation up directly, instead of through a lazy translation object.

Why: Django resolves the text to a lazy object (`gettext_lazy`) and then renders that object, and each
step on a lazy object goes through Django's wrappers for lazy values: 7.8 microseconds a tag against
2.7 for a `{{ variable }}`. A client overview renders about 85 tags; looked up directly they cost its
rendering 0.3 ms of CPU less (bench/README.md, "Plain Django (issue 19)"). The result is Django's:
the translation of the text in the active language (with the tag's `context`), its percent signs as
written, marked safe as Django marks a literal's translation, stored by `as`. Every other form of the
tag (a variable, filters, `noop`) is Django's own node. `tests/core/test_i18n_tags.py` renders every
`{% translate %}` of Polku's templates both ways in every language and compares them.

Polku's templates load it in place of Django's (`{% load polku_i18n %}`): its other tags and filters are
Django's `i18n` ones, and `makemessages` finds the texts as before (it reads the tags, not the loads).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.templatetags import i18n
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class TranslateNode(i18n.TranslateNode):
    def render(self, context: Any) -> str:
        text = self.filter_expression.var.literal
        if self.noop or self.filter_expression.filters or not isinstance(text, str):
            return super().render(context)
        # As Django's Variable.resolve and TranslateNode.render: the percent signs of the text are
        # doubled for the lookup (the catalogue's message ids have them so) and restored after it.
        message = text.replace("%", "%%")
        message_context = self.message_context.resolve(context) if self.message_context else None
        translated = pgettext(message_context, message) if message_context else gettext(message)
        value: SafeString = mark_safe(translated.replace("%%", "%"))  # noqa: S308 - a literal's translation, as Django
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> TranslateNode:
    node = i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
