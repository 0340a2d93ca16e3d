"""Every user-facing string has a hand-written Finnish and Swedish translation, compiled."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "polku" / "locale"


def entries(po_path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstr forms, fuzzy) for each entry of a .po file, without a .po library. A plural entry
    has one msgstr per form (msgstr[0], msgstr[1]); a singular one has one."""
    result: list[tuple[str, list[str], bool]] = []
    msgid: str | None = None
    forms: list[str] = []
    fuzzy, target = False, None
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, target = line[7:-1], "id"
        elif line.startswith("msgid_plural "):
            target = "plural"
        elif line.startswith("msgstr"):
            forms.append(line[line.index('"') + 1 : -1])
            target = "str"
        elif line.startswith('"') and target:
            if target == "id":
                msgid = (msgid or "") + line[1:-1]
            elif target == "str":
                forms[-1] += line[1:-1]
        elif not line.strip() and msgid is not None:
            result.append((msgid, forms or [""], fuzzy))
            msgid, forms, fuzzy, target = None, [], False, None
    return [entry for entry in result if entry[0]]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 50
    untranslated = [msgid for msgid, forms, _ in po if not all(forms)]
    fuzzy = [msgid for msgid, _, is_fuzzy in po if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_need_every_form(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "%(n)s case"\nmsgid_plural "%(n)s cases"\nmsgstr[0] "x"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert entries(po) == [("%(n)s case", ["x", ""], False)]


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
    [("fi", "Omatyöntekijä"), ("sv", "Egen kontaktperson"), ("en", "Personal worker")],
)
def test_role_names_are_shown_in_the_chosen_language(language, expected):
    from polku.accounts.models import Role

    with translation.override(language):
        assert str(Role.PERSONAL_WORKER.label) == expected
