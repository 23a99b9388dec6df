"""Which guardrails rules a prevention measure names, and whether it links something concrete.

A measure names a rule when its text has the rule id as a word of its own (``insert-ignore``,
not ``insert-ignores``), or one of its links points at the rule's docs: a path segment (less
``.md``/``.html``) or the fragment of the URL is the rule id (``.../README.md#cron-jitter``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from guardrails.incident.review import Item, Link

# Issue trackers' ticket URLs (GitHub, GitLab, Jira, Backlog, Linear, Redmine) and Jira-style keys.
_TICKET_URL = re.compile(r"/(?:issues?|pulls?|merge_requests|tickets?|browse|view)/[\w-]+", re.IGNORECASE)
_TICKET_KEY = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b")
_CHECKLIST = ("checklist", "チェックリスト", "runbook", "手順書", "playbook", "pull_request_template")


def rules_named(item: Item, known: Collection[str]) -> list[str]:
    """The known rule ids the measure names or links to, in the order written."""
    found: list[str] = []
    for text in [t.text.lower() for t in item.lines] + [_doc_words(link) for link in item.links]:
        for rule in known:
            if rule not in found and re.search(rf"(?<![\w-]){re.escape(rule)}(?![\w-])", text):
                found.append(rule)
    return found


def _doc_words(link: Link) -> str:
    parts = urlsplit(link.url)
    segments = [s.removesuffix(".md").removesuffix(".html") for s in parts.path.split("/")]
    return " ".join([*segments, parts.fragment]).lower()


def links_something_concrete(item: Item, known: Collection[str]) -> bool:
    """The measure links a checklist, a ticket or a rule: more than "be careful"."""
    for link in item.links:
        words = f"{link.url} {link.text}".lower()
        if any(c in words for c in _CHECKLIST) or _TICKET_URL.search(link.url) or _TICKET_KEY.search(link.text):
            return True
    return bool(rules_named(item, known))
