"""English translation: language switch, Italian default, and a complete, compiled catalogue.

The interface is written in Italian; ``src/tessere/locale/en/LC_MESSAGES/django.po`` holds the
English translation. The catalogue tests fail when a string is added to the code without being
extracted and translated, when a translation is left empty or fuzzy, and when the ``.mo`` file
was not recompiled after the ``.po`` changed.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(django_settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


# --- A small .po reader (stdlib only) ---------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None

    @property
    def label(self) -> str:
        return repr(self.msgid[:70])


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, header excluded: multi-line strings, plurals, flags.

    Obsolete entries (``#~``) are ignored, as gettext does.
    """
    entries: list[Entry] = []
    entry = Entry()
    started = False
    current: tuple[str, int] | None = None  # (keyword, plural index)

    def finish() -> None:
        nonlocal entry, started, current
        if started and entry.msgid != "":
            entries.append(entry)
        entry, started, current = Entry(), False, None

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if started:  # comments start a new entry when no blank line separates them
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if started:
                finish()
            continue
        match = keyword.match(line)
        if match:
            name, index, literal = match.groups()
            # msgctxt or msgid begins a new entry, unless msgid follows this entry's msgctxt
            if name in ("msgctxt", "msgid") and started and current != ("msgctxt", 0):
                finish()
            started = True
            current = (name, int(index or 0))
            value = ast.literal_eval(literal)
        elif line.startswith('"') and current is not None:
            value = ast.literal_eval(line)
        else:
            raise ValueError(f"Unexpected line in .po file: {raw!r}")
        name, index = current
        if name == "msgid":
            entry.msgid += value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        else:
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
    finish()
    return entries


def read_po(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


def test_po_parser_handles_multiline_plurals_and_flags():
    entries = parse_po(
        '# header\nmsgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, python-format\nmsgid ""\n"Due "\n"righe %(n)s"\nmsgstr "Two lines %(n)s"\n\n'
        '#, fuzzy\nmsgid "%(c)s voce"\nmsgid_plural "%(c)s voci"\n'
        'msgstr[0] "%(c)s entry"\nmsgstr[1] ""\n\n'
        '#~ msgid "vecchio"\n#~ msgstr "old"\n'
    )
    assert [e.msgid for e in entries] == ["Due righe %(n)s", "%(c)s voce"]
    assert entries[0].msgstr == {0: "Two lines %(n)s"}
    assert "python-format" in entries[0].flags
    assert entries[1].msgid_plural == "%(c)s voci"
    assert entries[1].msgstr == {0: "%(c)s entry", 1: ""}
    assert "fuzzy" in entries[1].flags


# --- Pages in English and in Italian ----------------------------------------------------------


def english_client() -> Client:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    return client


def header_of(html: str) -> str:
    match = re.search(r"<header\b.*?</header>", html, re.DOTALL)
    assert match, "page has no <header>"
    return match.group(0)


def test_switching_to_english_translates_the_page():
    response = english_client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    header = header_of(html)
    assert "Log in" in header
    assert "Accedi" not in header
    assert "Districts" in header
    assert "ISTAT data processed by Openpolis, CC BY 4.0" in html
    assert "Dati ISTAT elaborati da Openpolis" not in html
    assert "Privacy notice" in html
    assert "Accessibility statement" in html


def test_district_page_in_english():
    response = english_client().get(reverse("territory:district_detail", args=["piana-di-lucca"]))
    assert response.status_code == 200
    html = response.content.decode()
    caption = re.search(r"<caption>(.*?)</caption>", html, re.DOTALL)
    assert caption
    assert caption.group(1).startswith("Municipalities in the district")
    assert "Comuni dell" not in html
    assert "lead municipality:" in html
    assert "Source: ISTAT data processed by Openpolis, CC BY 4.0" in html


def test_italian_is_the_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="it"' in html
    assert "Accedi" in header_of(html)
    assert "Dati ISTAT elaborati da Openpolis, CC BY 4.0" in html


def test_english_for_a_logged_in_user(as_user):
    client = as_user("planner_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<html lang="en"' in html
    header = header_of(html)
    assert "Log out" in header
    assert "Staff area" in header
    assert "Esci" not in header


# --- The catalogue ----------------------------------------------------------------------------


def test_every_message_is_translated():
    entries = read_po(PO_FILE)
    assert entries, f"no messages in {PO_FILE}"
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy translations to check in {PO_FILE}: {fuzzy}"
    untranslated = []
    for e in entries:
        expected_forms = 2 if e.msgid_plural is not None else 1
        if len(e.msgstr) < expected_forms or not all(e.msgstr.values()):
            untranslated.append(e.label)
    assert not untranslated, f"untranslated messages in {PO_FILE}: {untranslated}"


def test_translations_keep_the_placeholders():
    wrong = []
    for e in read_po(PO_FILE):
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        expected = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        found = [set(PLACEHOLDER.findall(msgstr)) for msgstr in e.msgstr.values() if msgstr]
        if e.msgid_plural is None:
            if any(f != expected for f in found):
                wrong.append(e.label)
        # A plural form may leave out a placeholder (e.g. "the last month"), but together
        # the forms use exactly the source's placeholders.
        elif any(not f <= expected for f in found) or set().union(*found) != expected:
            wrong.append(e.label)
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt not installed")
def test_msgfmt_accepts_the_catalogue():
    result = subprocess.run(
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


class _Missing(gettext.NullTranslations):
    """Fallback recording the messages that the .mo file does not contain."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: list[str] = []

    def gettext(self, message: str) -> str:
        self.missing.append(message)
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.missing.append(msgid1)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        self.missing.append(message)
        return message


def test_compiled_catalogue_matches_the_po():
    assert MO_FILE.exists(), "run `tessere compilemessages`"
    with MO_FILE.open("rb") as fp:
        translations = gettext.GNUTranslations(fp)
    missing = _Missing()
    translations.add_fallback(missing)
    stale = []
    for e in read_po(PO_FILE):
        if e.msgid_plural is not None:
            got = {0: translations.ngettext(e.msgid, e.msgid_plural, 1)}
            got[1] = translations.ngettext(e.msgid, e.msgid_plural, 2)
        elif e.msgctxt is not None:
            got = {0: translations.pgettext(e.msgctxt, e.msgid)}
        else:
            got = {0: translations.gettext(e.msgid)}
        if got != e.msgstr:
            stale.append(e.label)
    assert not missing.missing, (
        f"messages missing from {MO_FILE.name}, run `tessere compilemessages`: {missing.missing}"
    )
    assert not stale, f"{MO_FILE.name} differs from {PO_FILE.name}, run compilemessages: {stale}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext not installed")
def test_catalogue_has_every_string_of_the_code(tmp_path, settings, monkeypatch):
    """Extract the strings again, from a copy of the code, and look for new ones."""
    package = LOCALE_DIR.parent
    copy = tmp_path / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO_FILE, copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["en"],
        no_obsolete=True,
        no_location=True,
        verbosity=0,
        stdout=io.StringIO(),
    )
    known = {e.msgid for e in read_po(PO_FILE)}
    extracted = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    new = [e.label for e in extracted if e.msgid not in known]
    assert not new, (
        "strings in the code but not in the English catalogue: run makemessages, "
        f"translate and compilemessages: {new}"
    )
