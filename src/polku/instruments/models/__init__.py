"""Questionnaire definitions as versioned data (definitions.py) and the responses given to them
(responses.py). This package gathers the models so Django and callers see one app."""

from polku.instruments.models.definitions import *  # noqa: F403
from polku.instruments.models.responses import *  # noqa: F403
