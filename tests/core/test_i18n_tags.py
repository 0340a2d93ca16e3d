"""Polku's templates load `core.templatetags.polku_i18n`, whose `{% translate "text" %}` looks the
translation up directly: its output is Django's own, for every `{% translate %}` in Polku's templates,
in every language, escaped or not, stored by `as` or written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, engines
from django.templatetags import i18n
from django.utils import translation
from django.utils.safestring import SafeData

from polku.core.templatetags import polku_i18n

SRC = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def polku_templates() -> list[str]:
    """Every template of Polku's apps and of its shared templates directory, by its loader name."""
    names = []
    for path in sorted(path for path in SRC.rglob("templates/**/*") if path.suffix in (".html", ".txt")):
        parts = path.relative_to(SRC).parts
        names.append("/".join(parts[parts.index("templates") + 1 :]))
    return names


def translate_nodes() -> list[tuple[str, polku_i18n.TranslateNode]]:
    engine = engines["django"].engine
    found = []
    for name in polku_templates():
        template = engine.get_template(name)
        assert not template.nodelist.get_nodes_by_type(i18n.TranslateNode) or all(
            isinstance(node, polku_i18n.TranslateNode)
            for node in template.nodelist.get_nodes_by_type(i18n.TranslateNode)
        ), f"{name} loads Django's i18n library: load polku_i18n instead"
        found += [(name, node) for node in template.nodelist.get_nodes_by_type(polku_i18n.TranslateNode)]
    return found


def rendered(render, node, *, autoescape: bool) -> tuple[str, bool]:
    context = Context({"name": "<b>Maija</b>"}, autoescape=autoescape)
    output = render(node, context)
    if node.asvar:
        assert output == ""
        output = context[node.asvar]
    return str(output), isinstance(output, SafeData)


def test_every_template_loads_the_faster_tag():
    assert len(translate_nodes()) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translate_tag_renders_as_djangos(language):
    with translation.override(language):
        for name, node in translate_nodes():
            for autoescape in (True, False):
                ours = rendered(polku_i18n.TranslateNode.render, node, autoescape=autoescape)
                djangos = rendered(i18n.TranslateNode.render, node, autoescape=autoescape)
                assert ours == djangos, (name, node.token.contents, language)


@pytest.mark.parametrize(
    "source",
    [
        '{% translate "Timeline" %}',
        '{% translate "none" context "overview section" %}',
        '{% translate "Timeline" as title %}[{{ title }}]',
        '{% translate "100% of <b>it</b>" %}',
        '{% translate "Timeline"|upper %}',
        "{% translate name %}",
        '{% translate "Timeline" noop %}',
        '{% translate "Page %(number)s" %}',
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_form_of_the_tag_renders_as_djangos(source, language):
    engine = engines["django"].engine
    ours = engine.from_string("{% load polku_i18n %}" + source)
    djangos = engine.from_string("{% load i18n %}" + source)
    for node in djangos.nodelist.get_nodes_by_type(i18n.TranslateNode):
        node.render = i18n.TranslateNode.render.__get__(node)  # Django's method on this one node
    with translation.override(language):
        for autoescape in (True, False):
            context = {"name": "<b>Timeline</b>"}
            assert ours.render(Context(context, autoescape=autoescape)) == djangos.render(
                Context(context, autoescape=autoescape)
            )
