"""The service catalogue (catalogue.py) and referrals from a case to a service (referrals.py). This package
gathers the models so Django and callers see one app (label `services`)."""

from polku.network.models.catalogue import *  # noqa: F403
from polku.network.models.referrals import *  # noqa: F403
