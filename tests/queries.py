"""Query counts that differ between the two databases the suite runs on."""

from django.db import connection

# One audit event (`audit.record`). PostgreSQL: one statement writes the event with its place in the
# sealing queue. SQLite: a savepoint (inside the test's transaction), the two inserts and its release.
AUDIT_EVENT = 1 if connection.vendor == "postgresql" else 4

# The one audit event of a list page, which also indexes the clients it showed (`audit.record(listed=)`):
# on SQLite one more insert.
LIST_AUDIT_EVENT = AUDIT_EVENT + (0 if connection.vendor == "postgresql" else 1)
