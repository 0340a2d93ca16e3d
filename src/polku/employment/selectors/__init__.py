"""Scoped reads of the IPS records: periods, caseloads and coaches' load (periods.py), the career
profile and counselling (career.py), jobs and follow-along (jobs.py), the employer side and openings
(employer.py), fidelity reviews (fidelity.py) and the client data export's section (data_export.py).
Callers import the package."""

from polku.employment.selectors.career import *  # noqa: F403
from polku.employment.selectors.data_export import *  # noqa: F403
from polku.employment.selectors.employer import *  # noqa: F403
from polku.employment.selectors.fidelity import *  # noqa: F403
from polku.employment.selectors.jobs import *  # noqa: F403
from polku.employment.selectors.periods import *  # noqa: F403
