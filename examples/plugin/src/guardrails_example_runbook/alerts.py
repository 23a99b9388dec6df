"""The ``prometheus_alerts`` input: one Alert per alerting rule in Prometheus rule files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from guardrails.api import Finding, Input, LoadContext, SourceFile, UnreadableFile, parse_error, source_file

DEFAULT_RULE_FILES = ["**/*.rules.yml", "**/*.rules.yaml", "**/alerts/*.yml"]


@dataclass(frozen=True)
class Alert:
    path: str
    line: int  # of the `- alert:` entry
    column: int
    name: str
    annotations: dict[str, str] = field(default_factory=dict)


def load(ctx: LoadContext) -> Iterator[Alert | Finding | SourceFile]:
    import yaml

    patterns = list(ctx.section("prometheus").get("rules", DEFAULT_RULE_FILES))
    for path in ctx.workspace.select(patterns):
        try:
            text = ctx.workspace.read_text(path)
        except UnreadableFile as exc:
            yield parse_error(path, str(exc), exc.line, exc.column)
            continue
        yield source_file(path, text)
        try:
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            yield parse_error(path, f"not YAML: {getattr(exc, 'problem', exc)}", line, column)
            continue
        yield from _alerts(path, root)


def _alerts(path: str, root: Any) -> Iterator[Alert]:
    import yaml

    groups = _get(root, "groups")
    for group in groups.value if isinstance(groups, yaml.SequenceNode) else []:
        rules = _get(group, "rules")
        for rule in rules.value if isinstance(rules, yaml.SequenceNode) else []:
            name = _get(rule, "alert")
            if not isinstance(name, yaml.ScalarNode):
                continue  # a recording rule
            annotations = _get(rule, "annotations")
            found = {}
            if isinstance(annotations, yaml.MappingNode):
                found = {k.value: str(v.value) for k, v in annotations.value if isinstance(v, yaml.ScalarNode)}
            yield Alert(path, rule.start_mark.line + 1, rule.start_mark.column + 1, str(name.value), found)


def _get(node: Any, key: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


INPUT: Input[Alert] = Input(
    name="prometheus_alerts",
    summary="alerting rules in Prometheus rule files",
    units=(Alert,),
    load=load,
    config={
        "prometheus": {
            "type": "object",
            "properties": {"rules": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": False,
        }
    },
    # said, once, for an enabled rule of this input that got no alert: its silence is not a pass
    empty="no alerting rule in the files checked (prometheus.rules)",
)
