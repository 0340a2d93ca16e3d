"""The base rows of N synthetic cases for the knowledge-based management bench (`bench/insights.py`),
as the services write them, with their facts (`insights_casefact` and its service and measure rows)
written from the same records instead of through the refresh, which at a million cases would take
longer than the bench (tests/bench/test_insights_seed.py: the facts equal what the refresh computes).

- `world.py`: organisations, units, personal workers, catalogue, employers, questionnaires (ORM, once);
- `paths.py`: one case's path as rows, and its facts;
- `writer.py`: rows of any model by COPY (PostgreSQL) or batched inserts;
- `seeder.py`: the run in batches.

No audit events are written: the facts read none, and the dashboard reads only the facts and roll-ups.
"""
