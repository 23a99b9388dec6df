"""The installed rules and inputs: entry-point groups ``guardrails.checks`` and ``guardrails.inputs``.

Built-in ones register the same way as third-party ones. A plugin that cannot be loaded,
or whose rule reads an input nobody installed, is skipped with a warning (on stderr, and in
``Registry.warnings``) so that one broken plugin never takes the others, or ``guardrails
rules``, down; a config that enables a skipped rule then fails as an unknown rule, naming
it. Two plugins claiming one rule or input id is an error naming both distributions: which
one would run is not for the engine to guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from guardrails.distributions import EntryPoint, Installed, installed
from guardrails.inputs import Input
from guardrails.rules import Rule

RULES_GROUP = "guardrails.checks"
INPUTS_GROUP = "guardrails.inputs"
BUILTIN_DISTRIBUTION = "guardrails-ci"
# Rules with no input of their own: the engine reports them (bad-suppression).
ENGINE_INPUT = "engine"


class RegistryError(Exception):
    pass


@dataclass
class Registry:
    rules: dict[str, Rule[Any]]  # by id, in id order
    inputs: dict[str, Input[Any]]
    warnings: list[str] = field(default_factory=list)
    builtin: frozenset[str] = frozenset()  # ids of the rules and inputs shipped with guardrails

    def builtin_rules(self) -> dict[str, Rule[Any]]:
        """The rules shipped with guardrails: the README table and published schema are of these."""
        return {k: v for k, v in self.rules.items() if k in self.builtin}

    def builtin_inputs(self) -> dict[str, Input[Any]]:
        return {k: v for k, v in self.inputs.items() if k in self.builtin}


def _load_group(
    entry_points: list[EntryPoint], kind: type, what: str, warnings: list[str]
) -> dict[str, tuple[Any, str]]:
    found: dict[str, tuple[Any, str]] = {}
    for ep in entry_points:
        dist = ep.dist
        if ep.name in found:
            if found[ep.name][1] == dist:  # the same distribution seen twice on sys.path
                continue
            raise RegistryError(
                f"{what} {ep.name!r} is registered twice: by {found[ep.name][1]} and by {dist}; uninstall one of them"
            )
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin must not take the others down
            warnings.append(f"{what} plugin {ep.name!r} from {dist} ({ep.value}) cannot be loaded, skipped: {exc}")
            continue
        if not isinstance(obj, kind) or getattr(obj, "id", getattr(obj, "name", None)) != ep.name:
            warnings.append(
                f"{what} plugin {ep.name!r} from {dist} ({ep.value}) must point at "
                f"a {kind.__name__} named {ep.name!r}: skipped"
            )
            continue
        found[ep.name] = (obj, dist)
    return found


def build(rules: Iterable[tuple[Rule[Any], str]], inputs: Iterable[tuple[Input[Any], str]]) -> Registry:
    """A registry from (object, distribution) pairs; checks that each rule's input exists."""
    warnings: list[str] = []
    inputs = list(inputs)
    input_map = {i.name: i for i, _ in inputs}
    rule_map: dict[str, Rule[Any]] = {}
    builtin = {i.name for i, dist in inputs if dist == BUILTIN_DISTRIBUTION}
    for rule, dist in rules:
        if rule.input != ENGINE_INPUT and rule.input not in input_map:
            warnings.append(f"rule {rule.id!r} from {dist} reads input {rule.input!r}, which is not installed: skipped")
            continue
        if rule.input != ENGINE_INPUT:
            offered = input_map[rule.input].units
            wrong = [u.__name__ for u in rule.units if u not in offered]
            if wrong:
                warnings.append(
                    f"rule {rule.id!r} from {dist} wants {', '.join(wrong)} from input {rule.input!r}, "
                    f"which yields {', '.join(u.__name__ for u in offered)}: skipped"
                )
                continue
        rule_map[rule.id] = rule
        if dist == BUILTIN_DISTRIBUTION:
            builtin.add(rule.id)
    return Registry(dict(sorted(rule_map.items())), input_map, warnings, frozenset(builtin))


_cache: Registry | None = None
_installed: Installed | None = None


def installed_distributions() -> Installed:
    """The guardrails entry points and the names of all distributions on sys.path (read once)."""
    global _installed
    if _installed is None:
        _installed = installed((INPUTS_GROUP, RULES_GROUP))
    return _installed


def load_registry() -> Registry:
    """Every installed rule and input (loaded once per process)."""
    global _cache
    if _cache is None:
        warnings: list[str] = []
        found = installed_distributions()
        inputs = _load_group(found.group(INPUTS_GROUP), Input, "input", warnings)
        rules = _load_group(found.group(RULES_GROUP), Rule, "rule", warnings)
        registry = build(rules.values(), inputs.values())
        registry.warnings[:0] = warnings
        _cache = registry
    return _cache


def load_rules() -> dict[str, Rule[Any]]:
    return load_registry().rules
