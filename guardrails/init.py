"""``guardrails init``: a commented .guardrails.yml suited to what the repository holds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guardrails.config import CONFIG_NAME, DEFAULT_EXCLUDE
from guardrails.globs import select


def _looks_like_spec(root: Path, path: str) -> bool:
    if not path.endswith((".yaml", ".yml", ".json")):
        return False
    try:
        with open(root / path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return any(key in head for key in ("openapi:", "swagger:", '"openapi"', '"swagger"'))


def _dirs_of(paths: list[str]) -> list[str]:
    return sorted({p.rsplit("/", 1)[0] if "/" in p else "." for p in paths})


def _quoted(globs: list[str]) -> str:
    return ", ".join(json.dumps(g) for g in globs)


def suggest(root: Path, files: list[str], checklist: list[str] | None = None) -> str:
    """The config text. What the repository holds today is shown in comments; the settings
    themselves are the defaults or broad globs, so code, specs and migrations added later are
    checked too (a config listing today's languages would silently skip tomorrow's)."""
    from guardrails.languages import default_sql_sources, language_of

    sql_files = select(files, ["**/*.sql"])
    migrations = [p for p in sql_files if "migration" in p.lower()]
    schema = [p for p in sql_files if "schema" in p.lower() and p not in migrations]
    defaults = default_sql_sources()
    code = sorted(
        {
            lang.name
            for p in files
            if (lang := language_of(p)) and lang.sql_extractor and f"**/*.{lang.extensions[0]}" in defaults
        }
    )
    specs = [p for p in files if _looks_like_spec(root, p)]

    lines = [
        "# guardrails configuration: https://github.com/guardrails-ci/guardrails#configuration",
        "# Every key is optional; a typo is an error, never ignored.",
        "version: 1",
        "extends: recommended          # none | recommended | all",
        "dialect: mysql",
        "",
        "paths:",
        f"  exclude: [{_quoted(DEFAULT_EXCLUDE)}]",
        "",
        # a section with only comments would be null, which the schema refuses
        "sql:" if schema or migrations else "# sql:",
    ]
    found = f"{len(sql_files)} .sql file(s)" + (f" and {', '.join(code)} code" if code else "")
    lines.append(f"  # Found {found} today. Queries are read from every file of these kinds, including")
    lines.append("  # ones added later; narrow it only to leave files out:")
    lines.append(f"  # sources: [{_quoted(defaults)}]")
    if schema or migrations:
        # the directories found, any depth below them: a new subdirectory of migrations still counts
        globs = [f"{d}/**/*.sql" for d in _dirs_of(schema + migrations)]
        lines.append("  # DDL replayed in file-name order to know every table and how it is partitioned.")
        lines.append(f"  schema: [{_quoted(globs)}]")
    else:
        lines.append('  # schema: ["db/schema/**/*.sql"]   # DDL that defines your tables, for partition-pruning')
    if migrations:
        lines.append(f"  migrations: [{_quoted([f'{d}/**/*.sql' for d in _dirs_of(migrations)])}]")
    else:
        lines.append('  # migrations: ["db/migrations/**/*.sql"]')
    lines += [
        "",
        "# database:",
        "#   dsn: ${GUARDRAILS_MYSQL_DSN}   # mysql://user:pass@host:port/db, for the live EXPLAIN checks",
    ]
    found_specs = f"Found {len(specs)} OpenAPI spec(s) today ({_quoted(specs[:3])}{', ...' if len(specs) > 3 else ''})"
    lines += [
        "",
        f"# {found_specs if specs else 'No OpenAPI spec found today'}. Without openapi.specs, every file whose",
        "# top level says openapi: or swagger: is a spec, including ones added later; list roots only to narrow:",
        "# openapi:",
        '#   specs: ["api/openapi.yaml"]',
    ]
    if checklist:
        lines += ["", "pull_request:", "  # Items that must be ticked in the pull-request description (pr-checklist)."]
        lines += ["  checklist:"] + [f"    - {json.dumps(item)}" for item in checklist]
    else:
        lines += [
            "",
            "# pull_request:",
            '#   checklist: ["I can investigate and recover this feature myself if it fails"]',
        ]
    lines += [
        "",
        "rules:",
        "  insert-ignore: error         # error | warning | notice | off, or {severity: ..., option: ...}",
        *_direct_clock(files),
        "",
        "# overrides:",
        '#   - paths: ["legacy/**"]',
        "#     rules: {insert-ignore: warning}",
    ]
    return "\n".join(lines) + "\n"


def _direct_clock(files: list[str]) -> list[str]:
    """direct-clock, enabled with the repository's clock package as ``allow``, when it has one:
    a directory named clock holding code direct-clock reads, or a Python module clock.py."""
    from guardrails.clock.source import has_reader

    found = set()
    for path in files:
        parts = path.split("/")
        if "clock" in (p.lower() for p in parts[:-1]) and has_reader(path):
            depth = [p.lower() for p in parts].index("clock")
            found.add("/".join(parts[: depth + 1]) + "/**")
        elif parts[-1] == "clock.py":
            found.add(path)
    if not found:
        return []
    return [
        "  # Found a clock package: reading the wall clock anywhere else defeats moving time in staging.",
        f'  direct-clock: {{severity: error, allow: [{_quoted(sorted(found))}]}}   # clock: "clock.Now" names it',
    ]


def write_init(root: Path, pr_template: bool, incident_template: str | None = None) -> int:
    """``incident_template``: the language of the incident-review template to write, if any."""
    from guardrails.workspace import open_workspace

    target = root / CONFIG_NAME
    status = 0
    if target.exists():
        print(f"guardrails: {CONFIG_NAME} already exists; not overwritten", file=sys.stderr)
        status = 2
    else:
        workspace = open_workspace(root, DEFAULT_EXCLUDE)
        target.write_text(
            suggest(root, workspace.files, _template_checklist() if pr_template else None), encoding="utf-8"
        )
        print(f"Wrote {CONFIG_NAME}. Run `guardrails run` to check the repository.")
    if pr_template:
        status = max(status, _write_pr_template(root))
    if incident_template:
        from guardrails.incident.template import write_template

        status = max(status, write_template(root, incident_template))
    return status


def _template_checklist() -> list[str]:
    try:
        from guardrails.github.templates import CHECKLIST
    except ImportError:
        return []
    return list(CHECKLIST)


def _write_pr_template(root: Path) -> int:
    try:
        from guardrails.github.templates import PR_TEMPLATE  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        print("guardrails: the pull-request template is not available in this installation", file=sys.stderr)
        return 2
    target = root / ".github" / "pull_request_template.md"
    if target.exists():
        print(f"guardrails: {target.relative_to(root)} already exists; not overwritten", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PR_TEMPLATE, encoding="utf-8")
    print(f"Wrote {target.relative_to(root)}.")
    return 0
