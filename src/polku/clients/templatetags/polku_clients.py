from django import template
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Role

register = template.Library()

# What each audited action means to the client reading their access report.
ACTION_LABELS = {
    "client.view": _("Viewed the client's data"),
    "client.create": _("Registered the client"),
    "client.matched_existing": _("Opened a case for the existing client"),
    "client.update": _("Changed basic details"),
    "client.identity_code.reveal": _("Viewed the full identity code"),
    "client.break_glass": _("Opened the data outside the case teams"),
    "client.break_glass.offered": _("Was offered to open the data outside the case teams"),
    "caseload.search": _("Searched for the client by identity code"),
    "caseload.view": _("Saw the client on a caseload"),
    "client.access_report.view": _("Viewed this access report"),
    "client.export": _("Exported the client's data"),
    "case.open": _("Opened a case"),
    "case.status": _("Changed the case status"),
    "case.close": _("Closed the case"),
    "case.assign": _("Changed the personal worker"),
    "case.next_step": _("Planned the next step"),
    "team.add": _("Added a team member"),
    "team.end": _("Ended a team membership"),
    "contact.record": _("Recorded a contact"),
    "consent.record": _("Recorded a consent"),
    "consent.revoke": _("Revoked a consent"),
    "permission.refused": _("Tried to open the data and was refused"),
}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role or "–"
