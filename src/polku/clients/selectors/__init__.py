"""Every read of client data, scoped to the viewer by `access.py` (and `accounts.permissions` for one
object) and prefetched, so that pages run a fixed number of queries whatever the data size: the
caseload (caseload_reads.py), one client and their cases, team and consents (client_reads.py), the
staff pickers of a case (staff_pickers.py) and the client's access log (access_log.py). Callers import
the package."""

from polku.clients.selectors.access_log import *  # noqa: F403
from polku.clients.selectors.caseload_reads import *  # noqa: F403
from polku.clients.selectors.client_reads import *  # noqa: F403
from polku.clients.selectors.staff_pickers import *  # noqa: F403
