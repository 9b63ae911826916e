"""What Okta and Entra ID actually send, made standard before scim2-server reads it.

- Entra ID writes PATCH operations capitalized (`"op": "Replace"`), booleans as strings
  (`"active": "False"`), and a manager as a bare id.
- Entra ID removes group members with a value (`{"op": "Remove", "path": "members", "value":
  [{"value": "<id>"}]}`) where the standard selects them with a filter in the path.
- Okta replaces with a value that repeats the resource's `id` (read-only: refused as it stands).
- Both may send `schemas` entries in any case.

Only the body's JSON changes; anything that is not a JSON object is passed on for the library to
refuse in its own words.
"""

import json
from typing import Any

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
BOOLEAN_WORDS = {"true": True, "false": False}


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[value.strip().lower()]
    return value


def _manager(value: Any) -> Any:
    return {"value": value} if isinstance(value, str) else value


def _patch_value(path: str, value: Any) -> Any:
    """A PATCH value as the standard wants it for `path` (or for the whole resource)."""
    name = path.rpartition(":")[2] if path.startswith("urn:") else path
    if name == "active":
        return _boolean(value)
    if path == f"{ENTERPRISE}:manager":
        return _manager(value)
    if not path and isinstance(value, dict):
        cleaned = {key: item for key, item in value.items() if key != "id"}
        if "active" in cleaned:
            cleaned["active"] = _boolean(cleaned["active"])
        extension = cleaned.get(ENTERPRISE)
        if isinstance(extension, dict) and "manager" in extension:
            cleaned[ENTERPRISE] = {**extension, "manager": _manager(extension["manager"])}
        for key in [key for key in cleaned if key.startswith(f"{ENTERPRISE}:")]:
            attribute = key.rpartition(":")[2]
            extension_value = cleaned.pop(key)
            section = dict(cleaned.get(ENTERPRISE) or {})
            section[attribute] = _manager(extension_value) if attribute == "manager" else extension_value
            cleaned[ENTERPRISE] = section
        return cleaned
    return value


def _removals_by_value(operation: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Entra ID's remove-with-value as one standard remove per value, or None if it is not one."""
    path, value = operation.get("path"), operation.get("value")
    if (
        operation.get("op") != "remove"
        or not isinstance(path, str)
        or "[" in path
        or not isinstance(value, list)
    ):
        return None
    if not value or not all(isinstance(item, dict) and isinstance(item.get("value"), str) for item in value):
        return None
    return [{"op": "remove", "path": f"{path}[value eq {json.dumps(item['value'])}]"} for item in value]


def _patch(document: dict[str, Any]) -> dict[str, Any]:
    operations = document.get("Operations")
    if not isinstance(operations, list):
        return document
    fixed: list[Any] = []
    for operation in operations:
        if isinstance(operation, dict):
            operation = dict(operation)
            if isinstance(operation.get("op"), str):
                operation["op"] = operation["op"].lower()
            expanded = _removals_by_value(operation)
            if expanded is not None:
                fixed.extend(expanded)
                continue
            path = operation.get("path") if isinstance(operation.get("path"), str) else ""
            if "value" in operation:
                operation["value"] = _patch_value(path or "", operation["value"])
        fixed.append(operation)
    return {**document, "Operations": fixed}


def _resource(document: dict[str, Any]) -> dict[str, Any]:
    fixed = dict(document)
    if "active" in fixed:
        fixed["active"] = _boolean(fixed["active"])
    extension = fixed.get(ENTERPRISE)
    if isinstance(extension, dict) and "manager" in extension:
        fixed[ENTERPRISE] = {**extension, "manager": _manager(extension["manager"])}
    return fixed


def standardized(method: str, path: str, body: bytes) -> bytes:
    """The body with the dialects above made standard (unchanged when there is nothing to do)."""
    if not body or method not in ("POST", "PUT", "PATCH"):
        return body
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if not isinstance(document, dict):
        return body
    fixed = _patch(document) if method == "PATCH" else _resource(document)
    return body if fixed == document else json.dumps(fixed).encode()
