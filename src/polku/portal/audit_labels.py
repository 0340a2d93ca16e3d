"""How the client's access report names what the client did in their own Polku."""

from django.utils.translation import gettext_lazy as _

from polku.audit.labels import AuditLabel

AUDIT_LABELS = (
    AuditLabel("portal.login", _("Logged in to their own Polku")),
    AuditLabel("portal.logout", _("Logged out of their own Polku")),
    AuditLabel("portal.home.view", _("Viewed their own Polku")),
    AuditLabel("portal.consents.view", _("Viewed their consents")),
    AuditLabel("portal.consent.give", _("Gave a consent in their own Polku")),
    AuditLabel("portal.consent.revoke", _("Revoked a consent in their own Polku")),
    AuditLabel("portal.access_log.view", _("Viewed who has viewed their data")),
    AuditLabel("portal.access_log.pdf", _("Downloaded who has viewed their data")),
    AuditLabel("portal.refused", _("Tried to open another person's data and was refused")),
    AuditLabel("portal.plan.view", _("Viewed their plan in their own Polku")),
    AuditLabel("portal.action.mark", _("Marked their own action in their own Polku")),
    AuditLabel("portal.goal.self_rate", _("Rated their own goal in their own Polku")),
    AuditLabel("portal.messages.view", _("Read their messages in their own Polku")),
    AuditLabel("portal.message.send", _("Sent a message in their own Polku")),
    AuditLabel("portal.message.answer", _("Answered the client's message")),
    AuditLabel("portal.accessibility_feedback", _("Feedback on accessibility")),
    AuditLabel("portal.feedback", _("Gave feedback on the service")),
    AuditLabel("portal.feedback.view", _("Opened the feedback form in their own Polku")),
    AuditLabel("portal.questionnaire.request", _("Asked the client to fill in a questionnaire")),
    AuditLabel("portal.plan.agree.view", _("Opened a plan to agree in their own Polku")),
    AuditLabel("portal.questionnaire.view", _("Opened a questionnaire in their own Polku")),
    AuditLabel("portal.my_data.view", _("Opened My data in their own Polku")),
    AuditLabel("portal.my_data.download", _("Downloaded their own data in their own Polku")),
)
