"""The client overview's own sections (basic details, the case, its team, the consents), written in
Python rather than in the template language.

The overview is the page staff open most after the caseload. In the template language each value,
translated label and link cost several times what it costs here: these four sections took 1.7 ms of
the page's 8.6 ms in one process, about as much as all its queries but the timeline (bench/README.md).
Every value goes through `format_html`, which escapes it; labels are the same message ids the template
used, so their translations carry over. `clients/detail.html` keeps the page's frame and the sections
other apps contribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from polku.clients.pages import short_date, url_of


def _date(value: Any) -> str:
    return short_date(value) if value else ""


def _or_dash(value: Any) -> Any:
    return value if value else "–"


def _join(parts: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part was made by format_html


def _facts(pairs: Iterable[tuple[str, Any]]) -> SafeString:
    return format_html_join("", "<dt>{}</dt><dd>{}</dd>", pairs)


def _actions(links: Iterable[SafeString]) -> SafeString:
    return format_html('<ul class="polku-actions">{}</ul>', _join(links))


def _link(href: str, label: str) -> SafeString:
    return format_html('<li><a class="hds-link" href="{}">{}</a></li>', href, label)


def basic_details_html(client: Any, *, csrf_input: str) -> SafeString:
    identity_url = url_of("clients:identity_code", client.public_id)
    identity_code = format_html(
        '<div class="polku-reveal" id="identity-code-area" aria-live="polite">'
        '<span id="identity-code" data-testid="identity-code">{}</span>'
        '<form class="polku-inline-form" method="post" action="{}" hx-post="{}" '
        'hx-target="#identity-code-area" hx-swap="innerHTML">{}'
        '<button class="hds-button hds-button--supplementary hds-button--small" type="submit">'
        '<span class="hds-button__label">{}</span></button></form></div>',
        client.identity_code_masked,
        identity_url,
        identity_url,
        csrf_input,
        _("Show the identity code"),
    )
    if client.needs_interpreter:
        interpreter = _("Needed (%(language)s)") % {"language": client.interpreter_language}
    else:
        interpreter = _("Not needed")
    address = client.street_address or "–"
    if client.postal_code:
        address = f"{address}, {client.postal_code} {client.post_office}"
    birth = format_html("{} ({})", _date(client.birth_date), _("%(age)s years") % {"age": client.age})
    facts = [
        (_("Identity code"), identity_code),
        (_("Birth date"), birth),
        (_("Sex"), client.get_sex_display()),
        (_("Municipality of residence"), client.municipality),
        (_("Languages"), ", ".join(client.language_labels()) or "–"),
        (_("Interpreter"), interpreter),
        (_("Phone"), _or_dash(client.phone)),
        (_("Email"), _or_dash(client.email)),
        (_("Address"), address),
        (_("Preferred contact channel"), _or_dash(client.get_preferred_contact_channel_display())),
    ]
    return format_html(
        '<section class="polku-panel" aria-labelledby="basic"><h2 id="basic">{}</h2>'
        '<dl class="polku-facts">{}</dl></section>',
        _("Basic details"),
        _facts(facts),
    )


def case_html(
    current: Any, *, client: Any, can_contact: bool, can_manage: bool, can_open_case: bool
) -> SafeString:
    title = _("Current case") if current and current.is_open else _("Case")
    if current is None:
        body = format_html('<p class="polku-empty">{}</p>', _("No cases."))
        return _section("case", title, body)
    if current.next_step_on:
        overdue = (
            format_html(' <strong class="polku-flag polku-flag--alert">{}</strong>', _("Overdue"))
            if current.is_overdue
            else ""
        )
        next_step = format_html("{}: {}{}", _date(current.next_step_on), current.next_step, overdue)
    else:
        next_step = format_html("{}", _("Not planned"))
    worker = current.personal_worker.user if current.personal_worker else None
    facts = [
        (_("Unit"), f"{current.unit.organisation.name}: {current.unit.name}"),
        (
            _("Status"),
            "{} ({})".format(
                current.get_status_display(),
                _("for %(since)s") % {"since": timesince(current.status_changed_at)},
            ),
        ),
        (_("Opened"), f"{_date(current.opened_on)}, {current.get_source_display()}"),
        (_("Personal worker"), worker or _("None")),
        (_("Next step"), next_step),
    ]
    if not current.is_open:
        facts.append((_("Closed"), f"{_date(current.closed_on)}: {current.get_outcome_display()}"))
    links = []
    if can_contact:
        links.append(
            format_html(
                '<li><a class="hds-button hds-button--primary hds-button--small" href="{}">'
                '<span class="hds-button__label">{}</span></a></li>',
                url_of("clients:record_contact", current.public_id),
                _("Record a contact"),
            )
        )
    if can_manage:
        for name, label in (
            ("clients:change_status", _("Change status")),
            ("clients:next_step", _("Plan the next step")),
            ("clients:hand_over", _("Hand over")),
            ("clients:close_case", _("Close the case")),
        ):
            links.append(_link(url_of(name, current.public_id), label))
    if can_open_case:
        links.append(_link(url_of("clients:open_case", client.public_id), _("Open a new case")))
    body = format_html(
        '<dl class="polku-facts" data-testid="current-case">{}</dl>{}', _facts(facts), _actions(links)
    )
    return _section("case", title, body)


def team_html(team: list[Any], *, current: Any, can_manage: bool) -> SafeString:
    headers = [_("Name"), _("Role"), _("Organisation"), _("Responsibility"), _("Period")]
    rows = []
    for period in team:
        user = period.membership.user
        action = ""
        if can_manage:
            end = ""
            if not period.ended_on and period.membership_id != current.personal_worker_id:
                end = format_html(
                    '<a class="hds-link" href="{}">{}<span class="polku-visually-hidden">: {}</span></a>',
                    url_of("clients:end_team_membership", period.public_id),
                    _("End membership"),
                    user,
                )
            action = format_html("<td>{}</td>", end)
        rows.append(
            format_html(
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td>{}</tr>',
                user,
                period.get_role_display(),
                period.membership.unit.organisation.name,
                _or_dash(period.responsibility),
                _date(period.started_on),
                _date(period.ended_on),
                action,
            )
        )
    table = _table("team", _("Case team"), headers, rows, actions=can_manage)
    add = (
        format_html(
            '<p><a class="hds-link" href="{}">{}</a></p>',
            url_of("clients:add_team_member", current.public_id),
            _("Add a team member"),
        )
        if can_manage
        else ""
    )
    return _section("team", _("Team"), format_html("{}{}", table, add))


def consents_html(consents: list[Any], *, client: Any, can_edit: bool) -> SafeString:
    if consents:
        headers = [
            _("Disclosed by"),
            _("Disclosed to"),
            _("Registers"),
            _("Purpose"),
            _("Valid"),
            _("State"),
        ]
        rows = []
        for consent in consents:
            action = ""
            if can_edit:
                revoke = ""
                if not consent.revoked_on:
                    revoke = format_html(
                        '<a class="hds-link" href="{}">{}'
                        '<span class="polku-visually-hidden">: {} – {}</span></a>',
                        url_of("clients:revoke_consent", consent.public_id),
                        _("Revoke"),
                        consent.discloser.name,
                        consent.recipient.name,
                    )
                action = format_html("<td>{}</td>", revoke)
            revoked = f" ({_date(consent.revoked_on)})" if consent.revoked_on else ""
            rows.append(
                format_html(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td>"
                    '<td>{}{}<br><span class="polku-muted">{}</span></td>{}</tr>',
                    consent.discloser.name,
                    consent.recipient.name,
                    ", ".join(consent.register_labels()),
                    consent.purpose,
                    _date(consent.valid_from),
                    _date(consent.valid_until),
                    consent.state(),
                    revoked,
                    consent.get_method_display(),
                    action,
                )
            )
        caption = _("Consents to disclose records, including earlier ones")
        body = _table("consents", caption, headers, rows, actions=can_edit)
    else:
        body = format_html('<p class="polku-empty">{}</p>', _("No consents recorded."))
    if can_edit:
        body = format_html(
            '{}<p><a class="hds-link" href="{}">{}</a></p>',
            body,
            url_of("clients:record_consent", client.public_id),
            _("Record a consent"),
        )
    return _section("consents", _("Consents"), body)


def _section(key: str, title: str, body: SafeString) -> SafeString:
    return format_html(
        '<section class="polku-panel" aria-labelledby="{}"><h2 id="{}">{}</h2>{}</section>',
        key,
        key,
        title,
        body,
    )


def _table(
    key: str, caption: str, headers: list[str], rows: list[SafeString], *, actions: bool
) -> SafeString:
    head = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in headers))
    if actions:
        head = format_html(
            '{}<th scope="col"><span class="polku-visually-hidden">{}</span></th>', head, _("Actions")
        )
    return format_html(
        '<table class="hds-table hds-table--light polku-table" data-testid="{}">'
        '<caption class="polku-visually-hidden">{}</caption>'
        '<thead class="hds-table__header-row"><tr>{}</tr></thead>'
        '<tbody class="hds-table__content">{}</tbody></table>',
        key,
        caption,
        head,
        _join(rows),
    )
