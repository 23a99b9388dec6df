"""Kubernetes ``CronJob`` manifests: ``spec.schedule`` in ``spec.timeZone`` (the controller's
zone, taken as UTC, when unset), in any document of a multi-document file.

A container whose command or arguments first sleep a random time is jitter. Only files that
mention ``CronJob`` are parsed: a Helm chart's other templates are none of this input's business,
but a CronJob template that is not YAML is reported, not skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from guardrails.findings import Finding, Location, parse_error
from guardrails.schedules.jitter import random_sleep
from guardrails.schedules.model import CRON, Schedule
from guardrails.yamlpos import YamlError, load_all_with_positions

HINT = "a random sleep in the command"


def is_manifest(path: str, text: str) -> bool:
    return path.endswith((".yml", ".yaml")) and "CronJob" in text


def read(path: str, text: str) -> Iterator[Schedule | Finding]:
    try:
        documents = load_all_with_positions(text)
    except YamlError as exc:
        yield parse_error(path, f"{exc} (a CronJob here is not checked)", exc.line, exc.column)
        return
    for data, values, _ in documents:
        if not isinstance(data, dict) or data.get("kind") != "CronJob":
            continue
        spec = data.get("spec")
        metadata = data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(spec, dict) or not isinstance(spec.get("schedule"), str):
            line, column = values.get(("spec",), values[()])
            yield parse_error(
                path, f"CronJob {name or ''} has no spec.schedule string".replace("  ", " "), line, column
            )
            continue
        line, column = values[("spec", "schedule")]
        expression = spec["schedule"]
        zone = spec.get("timeZone")
        yield Schedule(
            path=path,
            location=Location(path, line, column, line, column + len(expression)),
            job=str(name or f"CronJob at line {line}"),
            source="kubernetes",
            expression=expression,
            kind=CRON,
            cron=expression,
            timezone=str(zone) if zone else None,
            jitter=_jitter(spec),
            jitter_hint=HINT,
        )


def _jitter(spec: dict[str, Any]) -> str | None:
    containers = _dig(spec, "jobTemplate", "spec", "template", "spec", "containers")
    for container in containers if isinstance(containers, list) else []:
        if not isinstance(container, dict):
            continue
        words = [str(w) for key in ("command", "args") for w in container.get(key) or [] if isinstance(w, (str, int))]
        sleep = random_sleep(" ".join(words))
        if sleep:
            return sleep
    return None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
