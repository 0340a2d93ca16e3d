"""IPS pages: entering a client, the caseload, the unit and a period (periods.py), the career profile
and counselling (career.py), jobs and follow-along (jobs.py), employers and their workplaces and
contact people (employer.py), openings and matching (opening.py) and fidelity reviews (reviews.py).
urls.py imports the package."""

from polku.employment.views.career import *  # noqa: F403
from polku.employment.views.employer import *  # noqa: F403
from polku.employment.views.jobs import *  # noqa: F403
from polku.employment.views.opening import *  # noqa: F403
from polku.employment.views.periods import *  # noqa: F403
from polku.employment.views.reviews import *  # noqa: F403
