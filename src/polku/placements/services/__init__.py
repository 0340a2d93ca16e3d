"""Every write of the placements app: placements and their attendance (placement.py) and the host's
feedback through an emailed link (feedback.py). Callers import the package."""

from polku.placements.services.feedback import *  # noqa: F403
from polku.placements.services.placement import *  # noqa: F403
