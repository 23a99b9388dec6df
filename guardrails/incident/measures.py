"""``guardrails measures``: every prevention measure of every incident review, and whether a
guardrails rule enforces it, so a team sees which measures are automated and which still rely
on people. ``--format json`` for dashboards.

A rule enforces a measure when the measure names the rule id or links to its docs
(guardrails.incident.enforce) and the rule is enabled in the config (anywhere: an override
counts). Status: ``enforced``; ``not-enabled`` (it names rules, none of them on); ``manual``.
Reviews that cannot be read are listed under ``errors`` (and on stderr): the list is then
incomplete, and the exit status is 1. Otherwise 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from guardrails import __version__
from guardrails.config import Config
from guardrails.incident.review import Review
from guardrails.workspace import Workspace


@dataclass
class Inventory:
    reviews: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def measures(self) -> list[dict[str, Any]]:
        return [m for r in self.reviews for m in r["measures"]]

    def document(self) -> dict[str, Any]:
        counts = {s: sum(1 for m in self.measures() if m["status"] == s) for s in ("enforced", "not-enabled", "manual")}
        return {
            "version": 1,
            "tool": {"name": "guardrails", "version": __version__},
            "reviews": self.reviews,
            "errors": self.errors,
            "summary": {"reviews": len(self.reviews), "measures": len(self.measures()), **counts},
        }


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="review files or directories (default: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def main(args: argparse.Namespace, config: Config, root: Path) -> int:
    from guardrails.workspace import open_workspace, repository_paths

    workspace = open_workspace(root, config.exclude, paths=repository_paths(root, args.paths))
    found = inventory(workspace, config)
    if args.format == "json":
        sys.stdout.write(json.dumps(found.document(), ensure_ascii=False, indent=2) + "\n")
    else:
        write_text(found, sys.stdout)
    for error in found.errors:
        print(f"guardrails measures: {error['path']}:{error['line']}: {error['message']}", file=sys.stderr)
    if not found.reviews and not found.errors:
        from guardrails.incident.settings import DEFAULT_PATHS

        globs = config.section("incident_review").get("paths", DEFAULT_PATHS)
        print(f"guardrails measures: no incident review matches incident_review.paths {globs}", file=sys.stderr)
    return 1 if found.errors else 0


def inventory(workspace: Workspace, config: Config) -> Inventory:
    from guardrails.findings import Finding
    from guardrails.incident.source import load_reviews
    from guardrails.inputs import LoadContext
    from guardrails.state import RunState

    found = Inventory()
    for item in load_reviews(LoadContext(workspace, config, RunState({}))):
        if isinstance(item, Review):
            found.reviews.append(_review(item, config))
        elif isinstance(item, Finding):
            found.errors.append({"path": item.path, "line": item.line, "message": item.message})
    return found


def _review(review: Review, config: Config) -> dict[str, Any]:
    from guardrails.incident.enforce import links_something_concrete, rules_named
    from guardrails.incident.phrases import anti_patterns

    prevention = review.section("prevention")
    measures = []
    for item in prevention.measures if prevention else ():
        named = rules_named(item, config.rules.keys())
        enforced = [r for r in named if config.enabled_anywhere(r)]
        status = "enforced" if enforced else "not-enabled" if named else "manual"
        concrete = links_something_concrete(item, config.rules.keys())
        measures.append(
            {
                "path": review.path,
                "line": item.line,
                "text": item.title,
                "done": item.task,
                "status": status,
                "rules": named,
                "enforced_by": enforced,
                "anti_patterns": sorted({m.pattern.kind for m in anti_patterns(item, concrete)}),
            }
        )
    return {"path": review.path, "title": review.title, "measures": measures}


_MARK = {"enforced": "enforced by {}", "not-enabled": "{}: not enabled", "manual": "relies on people"}


def write_text(found: Inventory, out: TextIO) -> None:
    for review in found.reviews:
        measures = review["measures"]
        enforced = sum(1 for m in measures if m["status"] == "enforced")
        out.write(f"{review['path']}: {review['title']} ({len(measures)} measures, {enforced} enforced)\n")
        if not measures:
            out.write("  no prevention measures (list items in the prevention section)\n")
        for m in measures:
            rules = ", ".join(m["enforced_by"] or m["rules"])
            label = _MARK[m["status"]].format(rules)
            out.write(f"  {m['line']:>4}  {label:<32} {_short(m['text'])}\n")
    doc = found.document()["summary"]
    out.write(
        f"{doc['measures']} measure(s) in {doc['reviews']} review(s): {doc['enforced']} enforced by a rule, "
        f"{doc['not-enabled']} naming a rule that is off, {doc['manual']} relying on people\n"
    )
    for error in found.errors:
        out.write(f"not read: {error['path']}:{error['line']}: {error['message']}\n")


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
