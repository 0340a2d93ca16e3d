"""What the client reads in their own Polku: always their own records, found from the client (never
from an id in the address alone), so another client's ids cannot reach anything. One module per part of
the portal; callers import the package."""

from polku.portal.selectors.audit_log import *  # noqa: F403
from polku.portal.selectors.grants import *  # noqa: F403
from polku.portal.selectors.own_plan import *  # noqa: F403
from polku.portal.selectors.own_records import *  # noqa: F403
from polku.portal.selectors.questionnaires import *  # noqa: F403
from polku.portal.selectors.service_feedback import *  # noqa: F403
from polku.portal.selectors.signed_in import *  # noqa: F403
from polku.portal.selectors.team_panel import *  # noqa: F403
