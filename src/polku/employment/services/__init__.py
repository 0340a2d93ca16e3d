"""Every write of the IPS records: entering and moving a period and the coach's working time
(periods.py), the career profile and counselling (career.py), the employer side and openings
(employer.py), jobs and follow-along (jobs.py) and fidelity reviews (fidelity.py). Callers import the
package."""

from polku.employment.services.career import *  # noqa: F403
from polku.employment.services.employer import *  # noqa: F403
from polku.employment.services.fidelity import *  # noqa: F403
from polku.employment.services.jobs import *  # noqa: F403
from polku.employment.services.periods import *  # noqa: F403
