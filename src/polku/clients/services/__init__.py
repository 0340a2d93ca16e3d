"""Every write of client data. Each function checks the rule (`accounts.permissions`), validates,
writes the change with its history row, the audit event and the timeline entry in one transaction,
and returns what it changed: the client and the life of a case (lifecycle.py), the case's team and
its contacts with the client (team.py), and the grounds on which others read the client's records,
consents and break-the-glass (grounds.py). Callers import the package."""

from polku.clients.services.grounds import *  # noqa: F403
from polku.clients.services.lifecycle import *  # noqa: F403
from polku.clients.services.team import *  # noqa: F403
