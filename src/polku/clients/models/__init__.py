"""Clients and their cases (client.py, case.py) and the grounds on which others read a client's records:
consents and break-the-glass accesses (grounds.py). Every change of state is a row: status changes,
personal worker changes and team periods are kept, never overwritten (ARCHITECTURE.md rule 4). Writes
go through `services`, reads of client data through `selectors`, which scope them with `access.py`.
This package gathers the models so Django and callers see one app."""

from polku.clients.models.case import *  # noqa: F403
from polku.clients.models.client import *  # noqa: F403
from polku.clients.models.grounds import *  # noqa: F403
