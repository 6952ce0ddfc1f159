"""The mission's four languages: every marked string is translated in every catalogue, the
compiled catalogues are current, no template shows text that is not marked for translation, and
dates, numbers and the command line follow the reader's language (docs/i18n.md)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import chdir
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from gettext import GNUTranslations
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.template.base import Lexer, TokenType
from django.test import Client, override_settings
from django.utils import formats, translation

from ceasefire import cli
from ceasefire.core import django_messages

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "ceasefire"
# English is the source language: its catalogue, if any, may leave strings untranslated.
TRANSLATED = {"ru": 4, "hy": 2, "az": 2}  # language: number of plural forms
# The only text a template may show as it is: the product's name.
ALLOWED_WORDS = re.compile(r"\bCeasefire\b")

Key = tuple[str | None, str, str | None]  # context, msgid, msgid_plural


@dataclass
class Message:
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)  # msgstr is index 0
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        assert self.msgid is not None
        return (self.context, self.msgid, self.plural)


PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[Message]:
    """The active messages of a .po or .pot file as gettext writes them (entries separated by
    blank lines; obsolete ones, `#~`, left out), the header (msgid "") first."""
    messages: list[Message] = []
    current = Message()
    target = ""

    def finish() -> None:
        nonlocal current
        if current.msgid is not None:
            messages.append(current)
        current = Message()

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if not line.strip():
                finish()
            continue
        if line.startswith("#"):
            if current.msgid is not None:
                finish()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                current.references.extend(line[2:].split())
            continue
        match = PO_LINE.match(line)
        if match:
            keyword, index, text = match.group(1), match.group(2), _unescape(match.group(3))
            if keyword == "msgctxt":
                current.context, target = text, "ctxt"
            elif keyword == "msgid":
                current.msgid, target = text, "id"
            elif keyword == "msgid_plural":
                current.plural, target = text, "plural"
            else:
                target = f"str{index or 0}"
                current.strings[int(index or 0)] = text
        elif line.startswith('"'):
            text = _unescape(line[1:-1])
            if target == "ctxt":
                current.context = (current.context or "") + text
            elif target == "id":
                current.msgid = (current.msgid or "") + text
            elif target == "plural":
                current.plural = (current.plural or "") + text
            else:
                current.strings[int(target[3:])] += text
        else:
            raise AssertionError(f"{path}: cannot read {line!r}")
    return messages


def catalogue(app: str, language: str) -> Path:
    return PACKAGE / app / "locale" / language / "LC_MESSAGES" / "django.po"


def all_catalogues() -> list[Path]:
    return sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/django.po"))


def translated_catalogues() -> list[Path]:
    return [path for path in all_catalogues() if path.parent.parent.name in TRANSLATED]


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """What `make messages` would extract now, per app: Django's makemessages run over a copy
    of the source, where every app has a locale directory of its own."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: run `make test`, which installs it.")
    copy = tmp_path_factory.mktemp("source") / "ceasefire"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "locale"))
    for apps_module in copy.glob("*/apps.py"):
        (apps_module.parent / "locale").mkdir()
    # As in the real tree, strings of modules outside any app go to core's catalogue.
    with override_settings(LOCALE_PATHS=[copy / "core" / "locale"]), chdir(copy):
        call_command("makemessages", locale=["en"], keep_pot=True, add_location="file", verbosity=0)
    return {
        pot.parent.parent.name: [m for m in read_po(pot) if m.msgid]
        for pot in sorted(copy.glob("*/locale/django.pot"))
    }


def test_every_marked_string_is_in_every_catalogue(extracted: dict[str, list[Message]]) -> None:
    problems = []
    for app, messages in extracted.items():
        wanted = {message.key: message for message in messages}
        for language in TRANSLATED:
            path = catalogue(app, language)
            if not path.exists():
                problems.append(f"{_label(path)} is missing ({len(wanted)} strings to translate)")
                continue
            # Strings the source dropped may linger until the next `make messages`: harmless.
            present = {message.key for message in read_po(path) if message.msgid}
            for key in sorted(wanted.keys() - present, key=str):
                where = ", ".join(wanted[key].references)
                problems.append(f"{_label(path)} lacks {key[1]!r} ({where})")
    assert not problems, "Run `make messages`, then translate:\n" + "\n".join(problems)


def test_catalogues_have_no_empty_or_fuzzy_translation() -> None:
    problems = []
    for path in translated_catalogues():
        language = path.parent.parent.name
        header, *messages = read_po(path)
        if "fuzzy" in header.flags:
            problems.append(f"{_label(path)}: the header is marked fuzzy")
        if f"Language: {language}\n" not in header.strings[0]:
            problems.append(f"{_label(path)}: the header does not name language {language}")
        if f"nplurals={TRANSLATED[language]};" not in header.strings[0]:
            problems.append(f"{_label(path)}: Plural-Forms should have {TRANSLATED[language]}")
        for message in messages:
            expected = TRANSLATED[language] if message.plural is not None else 1
            if "fuzzy" in message.flags:
                problems.append(f"{_label(path)}: fuzzy {message.msgid!r}")
            elif len(message.strings) != expected or not all(message.strings.values()):
                problems.append(f"{_label(path)}: untranslated {message.msgid!r}")
    assert not problems, "\n".join(problems)


def _without_pot_date(messages: dict[object, str]) -> dict[object, str]:
    # msgfmt leaves the POT-Creation-Date out of the header it compiles.
    header = "".join(
        line for line in messages.get("", "").splitlines(True) if "POT-Creation-Date" not in line
    )
    return {**messages, "": header}


def _compiled(messages: list[Message]) -> dict[object, str]:
    """The catalogue msgfmt makes of these messages: what GNUTranslations reads back."""
    result: dict[object, str] = {}
    for message in messages:
        if "fuzzy" in message.flags and message.msgid:
            continue
        assert message.msgid is not None
        key = f"{message.context}\x04{message.msgid}" if message.context else message.msgid
        if message.plural is None:
            if message.strings[0]:
                result[key] = message.strings[0]
        elif all(message.strings.values()):
            result.update({(key, index): text for index, text in message.strings.items()})
    return result


def test_compiled_catalogues_match_their_sources() -> None:
    stale = []
    for path in all_catalogues():
        compiled = path.with_suffix(".mo")
        if not compiled.exists():
            stale.append(f"{_label(compiled)} is missing")
            continue
        with compiled.open("rb") as handle:
            loaded = vars(GNUTranslations(handle))["_catalog"]
        if _without_pot_date(loaded) != _without_pot_date(_compiled(read_po(path))):
            stale.append(f"{_label(compiled)} is out of date")
    assert not stale, "Run `make messages`:\n" + "\n".join(stale)


PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[A-Za-z_]\w*\}|\{\d*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders_of_their_source() -> None:
    problems = []
    for path in translated_catalogues():
        for message in read_po(path)[1:]:
            assert message.msgid is not None
            source = placeholders(message.plural or message.msgid)
            for index, text in message.strings.items():
                if text and placeholders(text) != source:
                    problems.append(
                        f"{_label(path)}: {message.msgid!r} [{index}] has {placeholders(text)}, "
                        f"not {source}"
                    )
    assert not problems, "\n".join(problems)


def test_placeholder_check_sees_a_dropped_or_renamed_placeholder() -> None:
    source = placeholders("User %(name)s created in {place}.")
    assert placeholders("Пользователь %(name)s создан в {place}.") == source
    assert placeholders("Пользователь создан в {place}.") != source
    assert placeholders("Пользователь %(user)s создан в {place}.") != source


# Template lint -------------------------------------------------------------------------------

MARK = "\x00"  # where a template tag, variable or comment stood
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Not shown as prose: scripts and styles, and machine text (hashes, paths, commands) set as code.
NOT_PROSE = re.compile(r"<(script|style|code|kbd|samp)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
LETTER = re.compile(r"[^\W\d_]")
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
}
# Blocks whose content is translated (or never shown): skipped up to their end tag.
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def untranslated_text(source: str) -> list[str]:
    """Text a template shows that is not inside {% translate %} or {% blocktranslate %}: text
    between tags, and the values of attributes that browsers show or read aloud."""
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if closing is not None:
            closing = None if name == closing else closing
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(MARK)
            closing = SKIPPED_BLOCKS.get(name)
    html = NOT_PROSE.sub(MARK, HTML_COMMENT.sub(MARK, "".join(parts)))
    shown = []
    for tag in TAG.findall(html):
        attributes = {name.lower(): a or b for name, a, b in ATTRIBUTE.findall(tag)}
        shown += [value for name, value in attributes.items() if name in VISIBLE_ATTRIBUTES]
        if attributes.get("type") in ("submit", "button", "reset") and "value" in attributes:
            shown.append(attributes["value"])
    shown += ENTITY.sub(" ", TAG.sub(MARK, html)).split(MARK)
    return [text.strip() for text in shown if LETTER.search(ALLOWED_WORDS.sub("", text))]


def templates() -> Iterator[Path]:
    for directory in sorted(PACKAGE.glob("*/templates")):
        yield from sorted(path for path in directory.rglob("*") if path.is_file())


def test_templates_show_no_untranslated_text() -> None:
    offenders = [
        f"{_label(path)}: {text!r}"
        for path in templates()
        for text in untranslated_text(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "Mark these for translation:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "<p>Weapons handed over</p>",
        '<img src="x.png" alt="Map">',
        '<a href="/" title="Home">{% translate "Home" %}</a>',
        '<input type="search" placeholder="{% translate "Search" %} here">',
        '<nav aria-label="Main menu"></nav>',
        '<input type="submit" value="Save">',
        "{% if a %}Nothing{% endif %}",
    ],
)
def test_template_lint_finds_unmarked_text(source: str) -> None:
    assert untranslated_text(source)


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p>{% translate "Weapons" %}</p>',
        "{% blocktranslate %}Seen by <b>{{ name }}</b>{% endblocktranslate %}",
        '<nav aria-label="{% translate "Main menu" %}"></nav>',
        '<input type="hidden" name="kind" value="settlement">',
        "<title>{{ mission_name }} · Ceasefire</title><p>&nbsp;{{ count }} — 12</p>",
        "<!-- a note --><script src='app.js'></script>{# a comment #}",
        "{% comment %}Draft wording{% endcomment %}",
        "<th><code>SHA-256</code></th><td><kbd>ceasefire log verify</kbd></td>",
    ],
)
def test_template_lint_accepts_marked_text(source: str) -> None:
    assert untranslated_text(source) == []


@pytest.mark.django_db
def test_header_names_the_roles_in_the_readers_language(
    client_as: Callable[[str], Client],
) -> None:
    html = client_as("analyst").get("/", headers={"accept-language": "hy"}).content.decode()
    assert '<span class="role">Վերլուծաբան</span>' in html
    assert '<html lang="hy">' in html


# Formats -------------------------------------------------------------------------------------


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_numbers_are_written_as_the_reader_writes_them() -> None:
    number = "{% load l10n %}{{ n }} {{ x|floatformat:1 }} {{ n|unlocalize }}"
    values = {"n": 1234567, "x": Decimal("2.5")}
    assert render(number, "en", **values) == "1,234,567 2.5 1234567"
    assert render(number, "ru", **values) == "1\xa0234\xa0567 2,5 1234567"
    assert render(number, "hy", **values) == "1\xa0234\xa0567 2,5 1234567"
    assert render(number, "az", **values) == "1\xa0234\xa0567 2,5 1234567"


def test_dates_are_written_as_the_reader_writes_them() -> None:
    day = date(2026, 10, 25)
    written = {
        language: (
            render("{{ d }}", language, d=day),
            render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, d=day),
        )
        for language in ("en", "ru", "hy", "az")
    }
    assert written == {
        "en": ("Oct. 25, 2026", "10/25/2026"),
        "ru": ("25 октября 2026 г.", "25.10.2026"),
        "hy": ("25 հոկտեմբերի, 2026 թ.", "25.10.2026"),
        "az": ("25 Oktyabr 2026", "25.10.2026"),
    }


def test_every_language_has_date_and_number_formats() -> None:
    for code, _name in settings.LANGUAGES:
        assert formats.get_format_modules(code), code


def test_armenian_dates_are_read_back_from_forms() -> None:
    with translation.override("hy"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d.%m.%Y"
        when = datetime(2026, 10, 25, 14, 30)
        assert formats.localize_input(when) == "25.10.2026 14:30:00"


def test_django_messages_we_translate_are_still_djangos() -> None:
    msgids = {
        message.msgid
        for path in Path(django.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po")
        for message in read_po(path)
    }
    assert set(django_messages.VALIDATOR_MESSAGES) <= msgids


# The command line ----------------------------------------------------------------------------


@pytest.fixture
def posix_locale(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("CEASEFIRE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_cli_speaks_the_language_of_the_posix_locale(posix_locale: pytest.MonkeyPatch) -> None:
    posix_locale.setenv("LANG", "hy_AM.UTF-8")
    assert cli.operator_language() == "hy"
    posix_locale.setenv("LC_MESSAGES", "az_AZ.UTF-8@latin")
    assert cli.operator_language() == "az"
    posix_locale.setenv("LC_ALL", "ru_RU.UTF-8")
    assert cli.operator_language() == "ru"


def test_cli_falls_back_to_english_for_a_locale_the_mission_does_not_speak(
    posix_locale: pytest.MonkeyPatch,
) -> None:
    assert cli.operator_language() == "en"
    posix_locale.setenv("LANG", "ru_RU.UTF-8")
    posix_locale.setenv("LC_ALL", "C.UTF-8")
    assert cli.operator_language() == "en"


def test_ceasefire_language_overrides_the_locale(posix_locale: pytest.MonkeyPatch) -> None:
    posix_locale.setenv("LC_ALL", "ru_RU.UTF-8")
    posix_locale.setenv("CEASEFIRE_LANGUAGE", "az")
    assert cli.operator_language() == "az"


def test_unknown_ceasefire_language_is_a_configuration_error(
    posix_locale: pytest.MonkeyPatch,
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    posix_locale.setenv("CEASEFIRE_LANGUAGE", "fr")
    with pytest.raises(ImproperlyConfigured, match="CEASEFIRE_LANGUAGE must be one of"):
        cli.operator_language()


def _cli_texts() -> set[str]:
    parser = cli.build_parser()
    texts = {parser.description or ""}
    pending = [parser]
    while pending:
        current = pending.pop()
        for action in current._actions:
            texts.add(action.help or "")
            choices = action.choices if isinstance(action.choices, dict) else {}
            pending.extend(choices.values())
            texts.update(choice.help or "" for choice in getattr(action, "_choices_actions", []))
    return texts - {"", "show this help message and exit", "==SUPPRESS=="}


def test_every_cli_help_text_is_marked_for_translation() -> None:
    with translation.override("en"):
        texts = _cli_texts()
    msgids = {message.msgid for message in read_po(catalogue("core", "ru"))}
    assert texts - msgids == set()


def test_cli_help_is_in_the_operators_language(
    posix_locale: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    posix_locale.setenv("CEASEFIRE_LANGUAGE", "hy")
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "Հրադադարի դիտարկման առաքելության հաշվառման համակարգ" in capsys.readouterr().out
