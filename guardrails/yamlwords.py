"""Values as a user writes them in .guardrails.yml (YAML flow style), for messages and rule docs:
``false`` and ``[a, b]``, not Python's ``False`` and ``['a', 'b']``."""

from __future__ import annotations

import json
import re
from typing import Any

# a string YAML reads back as the same string without quotes
_PLAIN = re.compile(r"[A-Za-z_./*][\w./*-]*( [\w./*-]+)*")
_SPECIAL = {"true", "false", "yes", "no", "on", "off", "null", "~"}


def yaml_value(value: Any) -> str:
    if isinstance(value, str):
        plain = _PLAIN.fullmatch(value) and value.lower() not in _SPECIAL - {"off"}
        return value if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_value(str(k))}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return json.dumps(value)  # true, false, null, numbers
