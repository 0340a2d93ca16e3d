"""Synthetic clients in bulk for the benchmarks: `python -m bench.scale_seed --scale N` (after
`manage.py seed_demo`; `bench/http_load.py --setup` runs both) adds N clients with about 50 rows each.

Row for row what the services write (`rows.py`; who the clients are: `people.py`), written with COPY
on PostgreSQL and batched inserts elsewhere (`tables.py`); the audit events go through
`audit.services.record_many` and the normal sealer, so `manage.py verify_audit` checks them like any
others. Synthetic staff: `staff.py`.
"""
