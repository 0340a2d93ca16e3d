"""Every user-facing string has a hand-written Finnish and Swedish translation, compiled."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "polku" / "locale"


def entries(po_path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file, without a .po library."""
    result, msgid, msgstr, fuzzy, target = [], None, None, False, None
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, target = line[7:-1], "id"
        elif line.startswith("msgstr "):
            msgstr, target = line[8:-1], "str"
        elif line.startswith('"') and target:
            if target == "id":
                msgid = (msgid or "") + line[1:-1]
            else:
                msgstr = (msgstr or "") + line[1:-1]
        elif not line.strip() and msgid is not None:
            result.append((msgid, msgstr or "", fuzzy))
            msgid, msgstr, fuzzy, target = None, None, False, None
    return [entry for entry in result if entry[0]]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 50
    untranslated = [msgid for msgid, msgstr, _ in po if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in po if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_compiled_catalogues_match_the_po_files(language, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed")
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True)
    assert compiled.read_bytes() == (folder / "django.mo").read_bytes(), (
        "run `make messages` and commit the .mo"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Omatyöntekijä"), ("sv", "Egen arbetstagare"), ("en", "Personal worker")],
)
def test_role_names_are_shown_in_the_chosen_language(language, expected):
    from polku.accounts.models import Role

    with translation.override(language):
        assert str(Role.PERSONAL_WORKER.label) == expected
