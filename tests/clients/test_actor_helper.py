"""The right actor everywhere: one helper names who did something."""

from __future__ import annotations


def test_templates_name_an_actor_through_the_one_helper():
    """Whoever wrote or changed a record is named by `clients.actors` (the `actor` filter: the person with
    their own unit and organisation) on pages and in PDFs alike, never pieced together in a template."""
    import re
    from pathlib import Path

    import polku

    pieced = re.compile(
        r"\{\{ ?[a-z_.]+\.(author|by|recorded_by|created_by|entered_by|concluded_by|started_by|agreed_by)"
        r"\.user ?\}\}"
    )
    found = [
        f"{path.relative_to(Path(polku.__file__).parent)}: {match.group(0)}"
        for path in Path(polku.__file__).parent.rglob("*.html")
        for match in pieced.finditer(path.read_text())
    ]
    assert found == []
