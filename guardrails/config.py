"""``.guardrails.yml``: load, expand ``${VAR}``, validate against the JSON Schema, resolve per path."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardrails.findings import Severity
from guardrails.inputs import GLOBS
from guardrails.rules import ENGINE_RULES, Rule
from guardrails.yamlwords import yaml_value

if TYPE_CHECKING:
    from guardrails.inputs import Input

CONFIG_NAME = ".guardrails.yml"
SEVERITIES = ("error", "warning", "notice", "off")
PRESETS = ("none", "recommended", "all")
UNREADABLE = ("error", "warning")  # what `unreadable_input` may say
__all__ = ["ENGINE_RULES", "Config", "ConfigError", "build_schema", "default_config", "load_config"]

MAX_CONFIG_BYTES = 1024 * 1024  # a config is a page of YAML; more is a mistake or an attack
DEFAULT_EXCLUDE = ["vendor/**", "**/node_modules/**"]
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# An input marks the values where ``${VAR}`` is expanded with this key in its section's schema
# (the sql input: database.dsn); nowhere else, since anywhere else a value may be printed.
EXPAND_KEYWORD = "x-guardrails-env"
# A glob list whose every pattern must match a file: a spec or schema that matches nothing
# means its rules never ran, which must not pass as "all clear" (as Spectral does).
MATCH_KEYWORD = "x-guardrails-must-match"
VALID_CONFIGS = "config-verdicts"  # the cache of configs jsonschema found valid (guardrails.cache)
ALLOW_VARIABLE = "GUARDRAILS_ENV_ALLOW"  # comma-separated names the workflow allows besides GUARDRAILS_*
HOSTS_VARIABLE = "GUARDRAILS_DSN_HOSTS"  # hosts a config-written DSN may send an expanded secret to


class ConfigError(Exception):
    """A problem in the config file, at a line (0 when the file as a whole is wrong)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class RuleSetting:
    severity: Severity | None  # None: off
    options: Mapping[str, Any]


@dataclass
class Config:
    path: str  # where it came from, "" for the built-in default
    data: dict[str, Any]
    rules: Mapping[str, Rule[Any]]
    _settings: dict[str, dict[str, RuleSetting]] = field(default_factory=dict, repr=False)
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False)  # where each value is written

    def section(self, name: str) -> dict[str, Any]:
        """A top-level section as validated (an input's settings); {} when absent."""
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def exclude(self) -> list[str]:
        return list(self.section("paths").get("exclude", DEFAULT_EXCLUDE))

    @property
    def unreadable_input(self) -> str:
        """``error`` (default): input a rule could not read fails the run (exit 2); ``warning``:
        it is a parse-error warning and the run goes on."""
        return str(self.data.get("unreadable_input", "error"))

    # -- rules -------------------------------------------------------------------------------
    def setting(self, rule_id: str, path: str = "") -> RuleSetting:
        """The severity (None: off) and options of a rule for one file."""
        per_path = self._settings.setdefault(rule_id, {})
        if path not in per_path:
            per_path[path] = self._resolve(rule_id, path)
        return per_path[path]

    def enabled_anywhere(self, rule_id: str) -> bool:
        if self.setting(rule_id).severity is not None:
            return True
        return any(
            rule_id in (o.get("rules") or {}) and _severity_of(o["rules"][rule_id]) != "off"
            for o in self.data.get("overrides", [])
        )

    def _resolve(self, rule_id: str, path: str) -> RuleSetting:
        rule = self.rules[rule_id]
        preset = self.data.get("extends", "recommended")
        on = rule_id in ENGINE_RULES or preset == "all" or (preset == "recommended" and rule.recommended)
        severity: Severity | None = rule.severity if on else None
        options = rule.default_options()
        layers = [self.section("rules")]
        if path:
            from guardrails.globs import matches

            layers += [o.get("rules") or {} for o in self.data.get("overrides", []) if matches(path, o["paths"])]
        for layer in layers:
            if rule_id not in layer:
                continue
            value = layer[rule_id]
            word = _severity_of(value)
            if word == "off":
                severity = None
            elif word:
                severity = Severity.parse(word)
            elif severity is None:
                severity = rule.severity  # options given without a severity turn the rule on
            if isinstance(value, dict):
                options.update({k: v for k, v in value.items() if k != "severity"})
        return RuleSetting(severity, options)


def _severity_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get("severity")
    return None


# -- schema -------------------------------------------------------------------------------------
def build_schema(rules: Mapping[str, Rule[Any]], inputs: Mapping[str, Input[Any]]) -> dict[str, Any]:
    """The JSON Schema of .guardrails.yml for these rules and inputs: the engine's own keys
    plus each input's sections."""
    rule_props: dict[str, Any] = {}
    for rule in rules.values():
        option_props = {"severity": {"enum": list(SEVERITIES)}, **dict(rule.options)}
        rule_props[rule.id] = {
            "description": rule.summary,
            "anyOf": [
                {"enum": list(SEVERITIES)},
                {"type": "object", "properties": option_props, "additionalProperties": False},
            ],
        }
    rules_schema = {"type": "object", "properties": rule_props, "additionalProperties": False}

    def section(props: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": props, "additionalProperties": False}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://guardrails-ci.dev/schema/guardrails.schema.json",
        "title": ".guardrails.yml",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1},
            "extends": {"enum": list(PRESETS)},
            "dialect": {"enum": ["mysql"]},
            "paths": section({"exclude": GLOBS}),
            "unreadable_input": {
                "enum": list(UNREADABLE),
                "description": "input a rule needs and cannot read (a configured spec that is too large or not "
                "UTF-8, the --pr-body file): error (default) fails the run with exit 2; warning reports a "
                "parse-error warning and the run goes on",
            },
            **{name: dict(schema) for i in inputs.values() for name, schema in i.config.items()},
            "rules": rules_schema,
            "overrides": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"paths": GLOBS, "rules": rules_schema},
                    "required": ["paths", "rules"],
                    "additionalProperties": False,
                },
            },
        },
    }


# -- loading ------------------------------------------------------------------------------------
def default_config(rules: Mapping[str, Rule[Any]]) -> Config:
    return Config("", {"version": 1, "extends": "recommended"}, rules)


def load_config(
    path: Path,
    display: str,
    rules: Mapping[str, Rule[Any]],
    inputs: Mapping[str, Input[Any]],
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> Config:
    """Load the config at path. ``root``: the repository it belongs to, whose read rules then
    apply (a symbolic link may not lead outside it); None for a file the operator named."""
    from guardrails.workspace import UnreadableFile, read_inside, read_regular
    from guardrails.yamlpos import YamlError, load_with_positions

    env = os.environ if env is None else env
    try:
        if root is not None:
            data_bytes = read_inside(root, os.path.relpath(path, root), MAX_CONFIG_BYTES)
        else:
            data_bytes = read_regular(path, display, MAX_CONFIG_BYTES)
        text = data_bytes.decode("utf-8-sig")
    except UnreadableFile as exc:
        raise ConfigError(display, 0, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(display, 0, f"not valid UTF-8 at byte {exc.start}") from None
    try:
        data, values, keys = load_with_positions(text, aliases=False)
    except YamlError as exc:
        raise ConfigError(display, exc.line, str(exc)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(display, 1, "the config must be a mapping of keys such as version, extends, rules")
    # validated as written, so that an error quotes ${VAR}, never the value it expands to
    _validate(data, build_schema(rules, inputs), values, keys, display)
    data = _expand(data, (), env, values, display, _expandable(inputs))
    return Config(display, data, rules, lines={at: pos[0] for at, pos in values.items()})


def unmatched_globs(
    config: Config, inputs: Mapping[str, Input[Any]], select: Callable[[list[str]], list[str]]
) -> list[str]:
    """Each pattern of a glob list marked MATCH_KEYWORD that ``select`` finds no file for."""
    out = []
    for section, key in _marked(inputs, MATCH_KEYWORD):
        for i, pattern in enumerate(config.section(section).get(key) or []):
            if not select([pattern]):
                line = config.lines.get((section, key, i), 0)
                where = f"{config.path}:{line}" if line else config.path
                out.append(f"{where}: {section}.{key}: {pattern!r} matches no file in the repository")
    return out


def _marked(inputs: Mapping[str, Input[Any]], keyword: str) -> Iterator[tuple[str, str]]:
    """(section, key) of every value an input's section schema marks with ``keyword``."""
    for source in inputs.values():
        for section, schema in source.config.items():
            for key, prop in (schema.get("properties") or {}).items():
                if isinstance(prop, dict) and prop.get(keyword):
                    yield section, key


def _expandable(inputs: Mapping[str, Input[Any]]) -> frozenset[tuple[Any, ...]]:
    return frozenset(_marked(inputs, EXPAND_KEYWORD))


def _expand(
    value: Any,
    at: tuple[Any, ...],
    env: Mapping[str, str],
    values: dict[Any, Any],
    display: str,
    expandable: frozenset[tuple[Any, ...]],
) -> Any:
    """``${VAR}`` from the environment, only in the values an input's schema marks.

    The config is the pull request's to write: anywhere else a variable would be printed
    (a checklist item, a glob in a message), so only the marked values (``database.dsn``) expand, only
    variables named GUARDRAILS_* or listed in GUARDRAILS_ENV_ALLOW (which the workflow sets,
    not the repository), and a secret goes only to a host that comes from the environment
    too or that GUARDRAILS_DSN_HOSTS lists. Errors show ``${VAR}``, never its value."""
    if isinstance(value, dict):
        return {k: _expand(v, at + (k,), env, values, display, expandable) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, at + (i,), env, values, display, expandable) for i, v in enumerate(value)]
    if not isinstance(value, str) or not _VAR.search(value):
        return value
    line = values.get(at, (0, 0))[0]
    where = ".".join(map(str, at))
    if at not in expandable:
        only = ", ".join(sorted(".".join(map(str, e)) for e in expandable)) or "no value"
        raise ConfigError(
            display, line, f"{where}: ${{VAR}} is expanded only in {only} (elsewhere it could print a secret)"
        )
    allowed = {n.strip() for n in env.get(ALLOW_VARIABLE, "").split(",") if n.strip()}
    for name in _VAR.findall(value):
        if not name.startswith("GUARDRAILS_") and name not in allowed:
            raise ConfigError(
                display,
                line,
                f"{where}: ${{{name}}} is not expanded: only GUARDRAILS_* variables and those the workflow "
                f"lists in {ALLOW_VARIABLE}",
            )
        if name not in env:
            raise ConfigError(display, line, f"environment variable {name} is not set (used in {where})")
    expanded = _VAR.sub(lambda m: env[m.group(1)], value)
    if not _VAR.fullmatch(value.strip()):
        _check_named_host(value, expanded, env, display, line, where)
    return expanded


def _check_named_host(
    template: str, expanded: str, env: Mapping[str, str], display: str, line: int, where: str
) -> None:
    """Refuse sending a variable's value to a host the config itself names, unless listed."""
    from urllib.parse import urlsplit

    try:
        host_template = urlsplit(_VAR.sub("guardrails-variable", template)).hostname or ""
        host = urlsplit(expanded).hostname or ""
    except ValueError:
        return  # not a URL: parse_dsn says so when the DSN is used
    if host_template == "guardrails-variable":
        return  # the host comes from the environment, as the secret does
    hosts = {h.strip().lower() for h in env.get(HOSTS_VARIABLE, "").split(",") if h.strip()}
    if host.lower() not in hosts:
        raise ConfigError(
            display,
            line,
            f"{where}: sends ${{VAR}} to host {host_template!r} named in the config; put the whole DSN in one "
            f"variable, or list the host in {HOSTS_VARIABLE}",
        )


def _validate(data: Any, schema: dict[str, Any], values: dict[Any, Any], keys: dict[Any, Any], display: str) -> None:
    from guardrails import cache

    verdict = _verdict_key(data, schema)
    if verdict is not None and cache.known(VALID_CONFIGS, verdict):
        return  # this very config passed this very schema before: jsonschema costs 70 ms to import
    if _valid_at_rust_speed(data, schema):
        if verdict is not None:
            cache.remember(VALID_CONFIGS, verdict)
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        if verdict is not None:
            cache.remember(VALID_CONFIGS, verdict)
        return
    error = _specific(errors[0])
    at = tuple(error.absolute_path)
    line = values.get(at, (0, 0))[0]
    where = ".".join(str(p) for p in at) or "top level"
    instance, sub = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted((sub.get("properties") or {}).keys())
        unknown = [k for k in instance if k not in allowed][0]
        line = keys.get(at + (unknown,), (line, 0))[0]
        kind = "rule" if at and at[-1] == "rules" else "key"
        raise ConfigError(display, line, f"unknown {kind} {unknown!r} in {where}{_nearest(str(unknown), allowed)}")
    if error.validator in ("enum", "const"):
        allowed = [str(v) for v in sub.get("enum", [sub.get("const")])]
        raise ConfigError(
            display,
            line,
            f"{where}: {yaml_value(instance)} is not one of {', '.join(allowed)}{_nearest(str(instance), allowed)}",
        )
    if error.validator == "type":
        raise ConfigError(
            display, line, f"{where}: expected {_type_words(sub['type'])}, got {_type_words(_json_type(instance))}"
        )
    raise ConfigError(display, line, f"{where}: {error.message}")


# Keywords whose meaning jsonschema-rs and jsonschema may not share (a Rust and a Python regex;
# format checks one of them makes): a schema using one is checked by jsonschema alone.
_DIALECT_KEYWORDS = frozenset({"pattern", "patternProperties", "format", "propertyNames"})


def _valid_at_rust_speed(data: Any, schema: dict[str, Any]) -> bool:
    """Whether jsonschema-rs finds the config valid: it imports in a third of jsonschema's time,
    and a valid config (nearly every run's) needs no message. An invalid one is checked again by
    jsonschema, whose errors the messages are made of; so is every config where the two could
    disagree, and every config when jsonschema-rs is missing or cannot read the schema."""
    if _uses_dialect(schema):
        return False
    try:
        import jsonschema_rs

        return bool(jsonschema_rs.Draft202012Validator(schema).is_valid(data))
    except Exception:  # missing, or a schema it cannot compile: jsonschema decides
        return False


def _uses_dialect(schema: Any) -> bool:
    if isinstance(schema, dict):
        return any(k in _DIALECT_KEYWORDS or _uses_dialect(v) for k, v in schema.items())
    if isinstance(schema, list):
        return any(_uses_dialect(v) for v in schema)
    return False


def _verdict_key(data: Any, schema: dict[str, Any]) -> str | None:
    """The key of "this config is valid": a hash of the config's data, the schema and the
    validator's installed version. None (never cached) for data JSON cannot say exactly: a YAML
    date or a number as a key would hash like the string it is not, so only plain data is."""
    if not _plain(data):
        return None
    import hashlib
    import json

    from guardrails.registry import installed_distributions

    validator = installed_distributions().directories.get("jsonschema", "")
    text = json.dumps([validator, schema, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | bool | int | float)


def _specific(error: Any) -> Any:
    """For an anyOf, the error of the branch that fits the value's type."""
    while error.validator == "anyOf" and error.context:
        kind = _json_type(error.instance)
        fitting = [e for e in error.context if e.validator != "type" or kind in _as_list(e.validator_value)]
        branch = (
            [e for e in fitting if e.relative_schema_path[0] == fitting[0].relative_schema_path[0]] if fitting else []
        )
        if kind == "string":
            branch = [e for e in error.context if e.validator == "enum"] or branch
        elif kind == "object":
            # inside the mapping (`mode: fast`), not the string branch's "is not a severity"
            inside = [e for e in error.context if len(e.absolute_path) > len(error.absolute_path)]
            branch = inside or [e for e in error.context if e.validator not in ("enum", "type")] or branch
        if not branch:
            return error.context[0]
        error = sorted(branch, key=lambda e: len(e.absolute_path), reverse=True)[0]
    return error


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _type_words(kind: Any) -> str:
    words = {"array": "a list", "object": "a mapping", "string": "a string", "boolean": "true or false"}
    return " or ".join(words.get(k, f"a {k}") for k in _as_list(kind))


def _nearest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


if __name__ == "__main__":  # python -m guardrails.config > guardrails/schema/guardrails.schema.json
    import json
    import sys

    from guardrails.registry import load_registry

    registry = load_registry()
    json.dump(build_schema(registry.builtin_rules(), registry.builtin_inputs()), sys.stdout, indent=2)
    sys.stdout.write("\n")
