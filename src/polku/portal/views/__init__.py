"""The client's own Polku: thin views over `oidc`, `session`, `selectors` and `services`, one module per
part of the portal; `staff` holds the team's side (staff addresses, `urls_staff.py`). The URL modules
import the package."""

from polku.portal.views.consent_pages import *  # noqa: F403
from polku.portal.views.data_pages import *  # noqa: F403
from polku.portal.views.home_pages import *  # noqa: F403
from polku.portal.views.identification import *  # noqa: F403
from polku.portal.views.plan_pages import *  # noqa: F403
from polku.portal.views.questionnaire_pages import *  # noqa: F403
from polku.portal.views.staff import *  # noqa: F403
