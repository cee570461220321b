"""The English translation: complete, compiled, and used only when the user picks it.

Updating it (docs/architecture.md, "Translations"): run makemessages, translate the new
entries in the en django.po, compile with msgfmt, commit both the .po and the .mo.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import zhuanxing

LOCALE = Path(zhuanxing.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def parse_po(path: Path) -> list[dict]:
    """The .po's entries (header included) as dicts: msgid, msgid_plural, msgstr or
    msgstr[n], flags, obsolete. Enough of the format for what makemessages writes."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry or entry["obsolete"]:
            entries.append(entry)
    return entries


def translations(entries: list[dict]) -> list[dict]:
    return [e for e in entries if not e["obsolete"] and e.get("msgid")]


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return parse_po(PO_PATH)


def test_po_header_is_english(entries):
    header = entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]


def test_every_entry_is_translated_and_not_fuzzy(entries):
    items = translations(entries)
    assert len(items) > 900
    untranslated = []
    for e in items:
        keys = ("msgstr[0]", "msgstr[1]") if "msgid_plural" in e else ("msgstr",)
        if not all(e.get(key, "").strip() for key in keys):
            untranslated.append(e["msgid"])
    assert not untranslated, f"untranslated in {PO_PATH.name}: {untranslated}"
    assert not [e["msgid"] for e in items if "fuzzy" in e["flags"]]


def test_placeholders_are_kept(entries):
    wrong = []
    for e in translations(entries):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for key in ("msgstr", "msgstr[0]", "msgstr[1]"):
            if key in e and sorted(PLACEHOLDER.findall(e[key])) != wanted:
                wrong.append((e["msgid"], e[key]))
    assert not wrong


def test_compiled_mo_matches_po(entries):
    """The committed .mo was compiled from the committed .po: every entry translates the
    same way through the .mo (run msgfmt after editing the .po)."""
    with MO_PATH.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    stale = []
    for e in translations(entries):
        if "msgid_plural" in e:
            got = [catalog.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            expected = [e["msgstr[0]"], e["msgstr[1]"]]
        else:
            got, expected = catalog.gettext(e["msgid"]), e["msgstr"]
        if got != expected:
            stale.append(e["msgid"])
    assert not stale, f"{MO_PATH.name} is older than {PO_PATH.name}; recompile with msgfmt: {stale[:10]}"


def nav(html: str) -> str:
    match = re.search(r"<nav\b.*?</nav>", html, re.S)
    assert match, "no navigation on the page"
    return match.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/enterprises/"])
def test_english_when_chosen_with_the_cookie(client_for, settings, path):
    client = client_for("bureau")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    menu = nav(html)
    assert ">Home</a>" in menu and ">Enterprises</a>" in menu and ">Tech market</a>" in menu
    assert "首页" not in menu and "企业库" not in menu and "科技大市场" not in menu
    assert 'aria-label="Main navigation"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/enterprises/"])
def test_chinese_without_the_cookie_even_for_an_english_browser(client_for, path):
    response = client_for("bureau").get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    menu = nav(html)
    assert ">首页</a>" in menu and ">企业库</a>" in menu and ">科技大市场</a>" in menu
    assert "Enterprises" not in menu and "Home" not in menu


def test_every_navigation_label_is_in_the_catalog(entries):
    from zhuanxing.web.context import NAVIGATION

    msgids = {e["msgid"] for e in translations(entries)}
    assert [label for label, _url, _who in NAVIGATION if label not in msgids] == []
