"""How the client's access report names the actions of the clients app (ClientsConfig.ready contributes
them to `audit.labels`), and how it names the basis of an access (`audit.basis`)."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Role
from polku.audit import basis as access_basis
from polku.audit import labels
from polku.audit.labels import AuditLabel

AUDIT_LABELS = (
    AuditLabel("client.view", _("Viewed the client's data")),
    AuditLabel("client.create", _("Registered the client")),
    AuditLabel("client.matched_existing", _("Opened a case for the existing client")),
    AuditLabel("client.update", _("Changed basic details")),
    AuditLabel("client.identity_code.reveal", _("Viewed the full identity code")),
    AuditLabel("client.break_glass", _("Opened the data outside the case teams")),
    AuditLabel("client.break_glass.offered", _("Was offered to open the data outside the case teams")),
    AuditLabel("caseload.search", _("Searched for the client by identity code")),
    AuditLabel("caseload.view", _("Saw the client on a caseload")),
    AuditLabel("client.access_report.view", _("Viewed this access report")),
    AuditLabel("client.export", _("Exported the client's data")),
    AuditLabel("case.open", _("Opened a case")),
    AuditLabel(
        "case.open_from_break_glass", _("Opened a case after opening the data outside the case teams")
    ),
    AuditLabel(
        "client.create.found_existing", _("Entered the client's identity code in the new client form")
    ),
    AuditLabel("case.status", _("Changed the case status")),
    AuditLabel("case.close", _("Closed the case")),
    AuditLabel("case.assign", _("Changed the personal worker")),
    AuditLabel("case.next_step", _("Planned the next step")),
    AuditLabel("team.add", _("Added a team member")),
    AuditLabel("team.end", _("Ended a team membership")),
    AuditLabel("contact.record", _("Recorded a contact")),
    AuditLabel("consent.record", _("Recorded a consent")),
    AuditLabel("consent.revoke", _("Revoked a consent")),
    AuditLabel("permission.refused", _("Tried to open the data and was refused")),
)


def role_name(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _short(ids: Any) -> str:
    """Consents named by the start of their public id, as the client's consent list can be searched."""
    return ", ".join(str(public_id)[:8] for public_id in ids or [])


def basis_label(basis: dict[str, Any] | None) -> str:
    """Why the access was allowed (`audit.basis`), in the reader's language; a dash for events
    recorded before the basis was."""
    basis = basis or {}
    kind = basis.get("kind")
    consents = _short(basis.get("consents"))
    if kind == access_basis.TEAM:
        text = gettext("Member of the case team (%(role)s)") % {"role": role_name(str(basis.get("role", "")))}
        if consents:
            text += "; " + gettext("other organisations' records under the client's consent %(consents)s") % {
                "consents": consents
            }
        return text
    if kind == access_basis.BREAK_GLASS:
        return gettext("Opened outside the case teams for a few hours: %(reason)s") % {
            "reason": basis.get("reason", "")
        }
    if kind == access_basis.CONSENT:
        return gettext("The client's consent %(consents)s") % {"consents": consents}
    if kind == access_basis.ADMINISTRATOR:
        return gettext("Administrator's task: %(task)s") % {"task": basis.get("task", "")}
    if kind == access_basis.CLIENT:
        return gettext("The client themself")
    if kind == access_basis.RULE:
        return gettext("Allowed for this task: %(task)s") % {
            "task": labels.label_for(str(basis.get("rule", "")))
        }
    if kind == access_basis.REFUSED:
        return gettext("Not allowed: refused")
    return "–"
