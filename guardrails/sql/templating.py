"""Placeholders SQL text is written with before a program fills them in, made readable.

DB-API's ``%s`` and ``%(name)s``, printf verbs (``%d``, ``%5.2f``, phabricator's
``queryfx`` verbs ``%T``, ``%R``, ``%Q``, ``%Ls``), and the template forms of
``.sql`` files (``{$NAME}``, ``{{ name }}``, ``${name}``) are replaced, outside SQL
quotes and comments, by text of the same length that sqlglot reads where a value or
a name may stand: ``?`` (style "?") or an identifier of underscores. Same-length
replacement keeps every offset, so positions need no adjusting. ``?``, ``$1``,
``:name`` and ``@p1`` parse as they are.
"""

from __future__ import annotations

from guardrails.sql.split import NextOf, close_quote

# Characters that may follow "%" before the verb letter: printf flags, width and precision,
# and phabricator's list and nullable prefixes (%Ls, %nd, %=s, %~, %>).
_VERB_PREFIX = frozenset("-+ #0123456789.*Ln=~<>")
_TEMPLATE_OPENERS = ("{$", "{{", "${")
_TEMPLATE_CLOSERS = {"{$": "}", "{{": "}}", "${": "}"}
_INTERESTING = "'\"`-#%{$"


def normalise_placeholders(text: str, style: str, printf: bool = True) -> tuple[str, bool]:
    """``text`` with its placeholders replaced (see the module doc); and whether any were.
    ``printf``: printf verbs too (in code; a .sql file has only ``%(name)s`` of them, since
    ``a %b`` is MySQL's modulo there)."""
    if "%" not in text and "{" not in text:
        return text, False
    out: list[str] = []
    i, n = 0, len(text)
    replaced = False
    next_of = NextOf(text)
    while i < n:
        # the text up to the next character that may start a quote, a comment or a placeholder
        # is copied as it is, in one piece
        start, i = i, next_of.first(i, _INTERESTING)
        if i > start:
            out.append(text[start:i])
            if i >= n:
                break
        c = text[i]
        width = 0
        if c in "'\"`":
            end = close_quote(text, i)
            close = n if end == -1 else end + 1
            out.append(text[i:close])
            i = close
            continue
        if (c == "-" and text.startswith("-- ", i)) or c == "#":
            newline = text.find("\n", i)
            close = n if newline == -1 else newline
            out.append(text[i:close])
            i = close
            continue
        if c == "%" and text.startswith("%%", i):
            out.append("%%")
            i += 2
            continue
        if c == "%" and (printf or text.startswith("%(", i)):
            width = _verb_width(text, i)
        elif text.startswith(_TEMPLATE_OPENERS, i):
            width = _template_width(text, i)
        if not width:
            out.append(c)
            i += 1
            continue
        out.append("?" + " " * (width - 1) if style == "?" else "_" * width)
        replaced = True
        i += width
    return "".join(out), replaced


def _verb_width(text: str, i: int) -> int:
    """Width of the verb at text[i] == "%" (``%s``, ``%(name)s``, ``%-5d``, ``%LQ``), 0 if none.
    ``a % b`` (the modulo operator) has no letter right after its flags and stays."""
    if text.startswith("%(", i):
        close = text.find(")", i)
        if close != -1 and text.startswith(")s", close) and text[i + 2 : close].isidentifier():
            return close + 2 - i
        return 0
    j = i + 1
    while j < len(text) and text[j] in _VERB_PREFIX and j - i < 8:
        j += 1
    if j < len(text) and text[j].isalpha() and text[j].isascii() and " " not in text[i + 1 : j]:
        return j + 1 - i
    return 0


def _template_width(text: str, i: int) -> int:
    """Width of a ``{$NAME}``, ``{{ name }}`` or ``${name}`` placeholder at i, 0 if none."""
    opener = text[i : i + 2]
    close = text.find(_TEMPLATE_CLOSERS[opener], i + 2)
    if close == -1 or "\n" in text[i:close] or close - i > 200:
        return 0
    return close + len(_TEMPLATE_CLOSERS[opener]) - i
