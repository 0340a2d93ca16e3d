"""The figures name providers and scopes in the reader's language: a provider is kept in the facts by its
Finnish name, and the closed-loop table by provider shows its Swedish name on a Swedish page, in the same
query."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from polku.insights import indicators, rollups
from polku.insights.models import CaseFact, ServiceFact, ServiceKind
from polku.insights.periods import Period
from polku.insights.scopes import Scope
from polku.network.models import Provider


def test_the_closed_loop_table_names_providers_in_the_readers_language(cases):
    Provider.objects.create(name="Takuusäätiö", name_sv="Garantistiftelsen", description="x")
    for n, fact in enumerate(CaseFact.objects.order_by("id")[:6]):
        ServiceFact.objects.create(
            fact=fact,
            kind=ServiceKind.REFERRAL,
            provider="Takuusäätiö" if n < 3 else "Kela",
            status="completed",
            is_terminal=True,
            sent_on=date(2026, 2, 1),
        )
    rollups.rebuild()
    scope = Scope("all", "all", Q())
    period = Period("year", date(2026, 1, 1), date(2026, 12, 31))

    with translation.override("sv"), CaptureQueriesContext(connection) as queries:
        swedish = [row.label for row in indicators.closed_loop(scope, period, "provider")]
    with translation.override("fi"):
        finnish = [row.label for row in indicators.closed_loop(scope, period, "provider")]

    assert swedish == ["Kela", "Garantistiftelsen"]
    assert finnish == ["Kela", "Takuusäätiö"]
    assert len(queries) == 1
    # The same from the facts over days that are not whole months.
    days = Period("custom", date(2026, 1, 2), date(2026, 12, 31))
    with translation.override("sv"):
        assert [row.label for row in indicators.closed_loop(scope, days, "provider")] == swedish
