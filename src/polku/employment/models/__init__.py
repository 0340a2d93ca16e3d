"""IPS supported employment: the client's period with its phases and the coach's load (period.py), the
career profile and benefits counselling (career.py), employers' contact people, the contact log,
openings and the client's decisions on them (employer.py), jobs held with follow-along support
(jobs.py) and the unit's IPS-25 fidelity reviews (fidelity.py). This package gathers the models so
Django and callers see one app; the app README says who reads what."""

from polku.employment.models.career import *  # noqa: F403
from polku.employment.models.employer import *  # noqa: F403
from polku.employment.models.fidelity import *  # noqa: F403
from polku.employment.models.jobs import *  # noqa: F403
from polku.employment.models.period import *  # noqa: F403
