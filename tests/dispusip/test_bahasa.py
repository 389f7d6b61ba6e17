"""The English translation is complete and compiled."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    text = PO.read_text()
    for block in text.split("\n\n")[1:]:  # the first block is the header
        if "msgid" not in block:
            continue
        yield block


def test_every_message_has_an_english_translation():
    untranslated = []
    for block in _entries():
        msgstrs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n")
        if "#, fuzzy" in block or not msgstrs or any(m.strip() == '""' for m in msgstrs):
            untranslated.append(block.splitlines()[-2] if len(block.splitlines()) > 1 else block)
    assert not untranslated, "Run `make messages` and translate:\n" + "\n".join(untranslated)


def test_the_compiled_catalogue_is_current():
    import gettext

    with PO.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    msgids = re.findall(r'^msgid "(.+)"$', PO.read_text(), flags=re.MULTILINE)
    missing = [m for m in msgids if m.replace('\\"', '"') not in compiled and "%" not in m]
    assert not missing, f"django.mo is stale; run `make messages`: {missing[:5]}"
    with translation.override("en"):
        assert translation.gettext("Pekerjaan latar belakang") == "Background jobs"
