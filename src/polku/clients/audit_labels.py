"""How the client's access report names the actions of the clients app (ClientsConfig.ready contributes
them to `audit.labels`)."""

from django.utils.translation import gettext_lazy as _

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
