"""The filter select that list pages share (core/templatetags/polku_forms.filter_select)."""

from django.template import Context, Template
from django.utils import translation


def render(choices, current, language="en"):
    with translation.override(language):
        template = Template('{% load polku_forms %}{% filter_select "kind" label choices current %}')
        return template.render(Context({"label": "Kind <b>", "choices": choices, "current": current}))


def test_it_labels_the_select_offers_all_first_and_selects_the_current_choice():
    html = render([("a", "Alpha"), ("b", "Beta & co")], "b")

    assert '<label class="hds-text-input__label" for="kind">Kind &lt;b&gt;</label>' in html
    assert '<select class="hds-text-input__input" id="kind" name="kind"><option value="">All</option>' in html
    assert '<option value="a">Alpha</option><option value="b" selected>Beta &amp; co</option>' in html


def test_code_list_entries_give_their_code_and_show_themselves():
    oulu = type("Municipality", (), {"code": "564", "__str__": lambda self: "Oulu"})()

    html = render([oulu], "564")

    assert '<option value="564" selected>Oulu</option>' in html


def test_all_is_translated():
    assert '<option value="">Kaikki</option>' in render([], "", "fi")
    assert '<option value="">Alla</option>' in render([], "", "sv")
