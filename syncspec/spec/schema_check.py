"""JSON Schema validation of loaded documents, with located, readable errors.

Fast path: one compiled `jsonschema_rs` validator for the umbrella schema answers
"valid?" for every document. Only documents that fail are checked again with the
`jsonschema` package against their own kind's schema, whose error tree lets us pick
the best match for `oneOf`/`anyOf` and word each error for a person.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.source import JsonPath, Origin
from syncspec.spec.documents import LoadedDocument
from syncspec.spec.schemas import KINDS, load_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


@cache
def _fast_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft7Validator(load_schema(None))


@cache
def _precise_validator(kind: str) -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(load_schema(kind))


def check_documents(documents: Iterable[LoadedDocument]) -> list[Diagnostic]:
    """Schema diagnostics for every document; valid documents cost one fast check each."""
    diagnostics: list[Diagnostic] = []
    fast = _fast_validator()
    for doc in documents:
        if fast.is_valid(doc.data):
            continue
        diagnostics.extend(check_document_precisely(doc))
    return diagnostics


def check_document_precisely(doc: LoadedDocument) -> list[Diagnostic]:
    data = doc.data
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in KINDS:
        return [_kind_problem(doc, kind)]
    errors = sorted(_precise_validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
    out: list[Diagnostic] = []
    for error in errors:
        out.extend(_describe(error, doc.origin, kind))
    # jsonschema raises one `required` error per missing key, and each names them all.
    return list(dict.fromkeys(out))


def _kind_problem(doc: LoadedDocument, kind: object) -> Diagnostic:
    kinds = ", ".join(KINDS)
    if kind is None:
        return Diagnostic(
            Severity.ERROR,
            "SS120",
            "document has no 'kind'",
            doc.origin.locate(()),
            hint=f"add 'kind:' with one of: {kinds}",
        )
    suggestion = difflib.get_close_matches(str(kind), KINDS, n=1)
    hint = f"did you mean '{suggestion[0]}'?" if suggestion else f"kind must be one of: {kinds}"
    return Diagnostic(
        Severity.ERROR, "SS120", f"unknown kind {kind!r}", doc.origin.locate(("kind",)), hint=hint
    )


def _describe(error: ValidationError, origin: Origin, kind: str) -> list[Diagnostic]:
    """Turn one jsonschema error into located diagnostics (an additionalProperties error names each key)."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branch = _fitting_branch(error)
        if branch is not None:
            return [d for sub in branch for d in _describe(sub, origin, kind)]
        return [_no_alternative_fits(error, origin)]
    path: JsonPath = tuple(error.absolute_path)
    if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
        # a bad key is reported on its mapping; locate it at the key's own line and column
        path = (*path, error.instance)
    validator = str(error.validator)
    # `validator_value` is typed with jsonschema's Unset sentinel; for a reported error it is set.
    rule_value: Any = error.validator_value
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance

    if validator == "additionalProperties" and isinstance(instance, dict):
        known = sorted(schema.get("properties", {}))
        extras = [k for k in instance if k not in known]
        out = []
        for key in extras:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(known)}"
            hint = _with_note(key, hint)
            out.append(_diag("SS122", f"unknown key {key!r} in {kind}", origin, (*path, key), hint))
        return out
    if validator == "required":
        missing = [k for k in rule_value if isinstance(instance, dict) and k not in instance]
        where = f" in {_describe_path(path)}" if path else f" in {kind}"
        return [
            _diag("SS123", f"missing required key {key!r}{where}", origin, path, f"add '{key}:'")
            for key in missing
        ]
    if validator == "type":
        expected = rule_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return [
            _diag(
                "SS121",
                f"{_describe_path(path)} must be {_article(expected_text)}, not {_json_type(instance)}",
                origin,
                path,
                _type_hint(expected_text, instance),
            )
        ]
    if validator in ("enum", "const"):
        allowed = rule_value if validator == "enum" else [rule_value]
        allowed_text = ", ".join(str(a) for a in allowed)
        close = difflib.get_close_matches(str(instance), [str(a) for a in allowed], n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {allowed_text}"
        hint = _with_note(instance, hint)
        return [_diag("SS124", f"{instance!r} is not allowed for {_describe_path(path)}", origin, path, hint)]
    if validator == "pattern":
        title = schema.get("title") or _describe_path(path)
        hint = schema.get("description") or f"it must match {rule_value}"
        if isinstance(instance, str) and "${" in instance:
            hint = "references look like ${env:NAME} or ${var:NAME}; write $${ for a literal ${"
        hint = _with_note(instance, hint)  # a Cyrillic `о` in a name looks right and fails
        return [_diag("SS125", f"{instance!r} is not a valid {title}", origin, path, hint)]
    if validator == "uniqueItems" and isinstance(instance, list):
        return _duplicates(instance, origin, path)
    if validator in _RANGE_VALIDATORS:
        message, hint = _range_message(validator, rule_value, path, instance)
        if validator == "minProperties" and not hint:
            hint = _settings_to_give(error.schema, instance)
        return [_diag("SS126", message, origin, path, hint)]
    return [_diag("SS125", f"{_describe_path(path)}: {error.message}", origin, path, "")]


def _settings_to_give(schema: Any, instance: object) -> str:
    """For an object that sets too little (a SyncEngine with only `kind`): what it could set."""
    known = schema.get("properties", {}) if isinstance(schema, dict) else {}
    given = instance if isinstance(instance, dict) else {}
    missing = [key for key in known if key != "kind" and key not in given]
    return f"give at least one of: {', '.join(missing)}" if missing else ""


def _fitting_branch(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the one alternative whose shape (type, constant) the value has, if exactly one.

    jsonschema's `best_match` prefers the shallowest error, so for `{id: "7"}` it would
    blame the "must be a string" alternative; the user plainly meant the `{id: N}` one.
    """
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else -1
        by_branch.setdefault(int(branch), []).append(sub)
    fitting = [
        errors
        for errors in by_branch.values()
        if not any(not e.relative_path and e.validator in ("type", "const", "enum") for e in errors)
    ]
    if len(fitting) != 1:
        return None
    return sorted(fitting[0], key=lambda e: [str(p) for p in e.absolute_path])


def _no_alternative_fits(error: ValidationError, origin: Origin) -> Diagnostic:
    path: JsonPath = tuple(error.absolute_path)
    alternatives: Any = error.validator_value
    titles = [str(a.get("title")) for a in alternatives if isinstance(a, dict) and a.get("title")]
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    wanted = ", ".join(titles) if titles else "one of the allowed forms"
    message = f"{_describe_path(path)} must be one of: {wanted}; not {_json_type(error.instance)}"
    return _diag("SS121", message, origin, path, str(schema.get("description") or ""))


def _range_message(validator: str, limit: Any, path: JsonPath, instance: object) -> tuple[str, str]:
    """Our wording for size limits: jsonschema's repeats the whole (possibly huge) value."""
    where = _describe_path(path)
    size = len(instance) if isinstance(instance, str | list | dict) else None
    if validator in ("minItems", "minProperties", "minLength") and limit == 1:
        hint = "write some text" if validator == "minLength" else "give at least one entry, or remove the key"
        return f"{where} must not be empty", hint
    if validator == "maxLength":
        return f"{where} is {size} characters long; at most {limit} are allowed", "shorten it"
    if validator == "minLength":
        return f"{where} is {size} characters long; at least {limit} are needed", ""
    if validator in ("maxItems", "maxProperties"):
        return f"{where} has {size} entries; at most {limit} are allowed", ""
    if validator in ("minItems", "minProperties"):
        return f"{where} has {size} entries; at least {limit} are needed", ""
    bound = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }[validator]
    return f"{where} must be {bound} {limit}, not {instance}", ""


_RANGE_VALIDATORS = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
}


def _duplicates(items: Sequence[Any], origin: Origin, path: JsonPath) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    out = []
    for index, item in enumerate(items):
        key = repr(item)
        if key in seen:
            first = origin.locate((*path, seen[key]))
            out.append(
                Diagnostic(
                    Severity.ERROR,
                    "SS209",
                    f"{item!r} is named twice in {_describe_path(path)}",
                    origin.locate((*path, index)),
                    hint=f"remove this entry; it first appears at line {first.line}",
                    related=(first,),
                )
            )
        else:
            seen[key] = index
    return out


def _with_note(word: object, hint: str) -> str:
    if not isinstance(word, str) or word.isascii():
        return hint
    from syncspec.spec.suggest import with_note  # only for a non-ASCII value: valid runs never pay

    return with_note(word, hint)


def _diag(code: str, message: str, origin: Origin, path: JsonPath, hint: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, origin.locate(path), hint=hint)


def _describe_path(path: JsonPath) -> str:
    if not path:
        return "the document"
    return "'" + ".".join(str(p) for p in path) + "'"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _article(type_name: str) -> str:
    names = {"object": "mapping", "array": "list", "null": "null"}
    word = " or ".join(names.get(part.strip(), part.strip()) for part in type_name.split(" or "))
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _type_hint(expected: str, instance: object) -> str:
    if "boolean" in expected and isinstance(instance, str):
        return "write true or false without quotes"
    if ("integer" in expected or "number" in expected) and isinstance(instance, str):
        return "write the number without quotes"
    if "string" in expected and isinstance(instance, bool | int | float):
        return "quote the value to make it a string"
    return ""
