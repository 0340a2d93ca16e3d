"""Long text on a page: `{{ note|folded_text }}` shows a short note whole and folds a long one after
its beginning into a native <details> ("Show all"), so a page of notes stays readable and the full
text is one click away without script."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

# How much of a note shows before "Show all": a few lines, enough to recognise it. A note only a
# little longer than that is shown whole: folding away one more line helps nobody.
FOLD_AT = 600
FOLD_SLACK = 100


@register.filter
def folded_text(text: str) -> SafeString:
    """The note as paragraphs (line breaks kept); past ~600 characters, cut at a space, the rest
    behind "Show all (n characters)"."""
    if len(text) <= FOLD_AT + FOLD_SLACK:
        return format_html('<p class="polku-timeline__text">{}</p>', linebreaksbr(text))
    cut = text.rfind(" ", FOLD_AT - FOLD_SLACK, FOLD_AT)
    cut = cut if cut > 0 else FOLD_AT
    return format_html(
        '<p class="polku-timeline__text">{}…</p>'
        '<details class="polku-timeline__more"><summary>{}</summary>'
        '<p class="polku-timeline__text">…{}</p></details>',
        linebreaksbr(text[:cut]),
        _("Show all (%(count)s characters)") % {"count": number_format(len(text), force_grouping=True)},
        linebreaksbr(text[cut:].lstrip()),
    )
