"""JSON Schema validation of loaded documents, with located, readable errors.

Fast path: one compiled `jsonschema_rs` validator for the umbrella schema answers
"valid?" for every document. Only documents that fail are checked again with the
`jsonschema` package against their own kind's schema, whose error tree lets us pick
the best match for `oneOf`/`anyOf` and word each error for a person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.source import JsonPath, Origin
from syncspec.model.text import scalar_text
from syncspec.spec.loading.documents import LoadedDocument
from syncspec.spec.schema.packaged import KINDS, load_schema

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
    suggestion = _close_matches(str(kind), KINDS)
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
    failure = _Failure(error, origin, kind, path)
    validator = str(error.validator)
    describe = _DESCRIBERS.get("range" if validator in _RANGE_VALIDATORS else validator)
    found = describe(failure) if describe is not None else None
    if found is not None:
        return found
    return [_diag("SS125", f"{_describe_path(path)}: {error.message}", origin, path, "")]


@dataclass(frozen=True)
class _Failure:
    """One schema error with what every describer needs: where it is and what failed."""

    error: ValidationError
    origin: Origin
    kind: str
    path: JsonPath

    @property
    def validator(self) -> str:
        return str(self.error.validator)

    @property
    def rule_value(self) -> Any:
        # `validator_value` is typed with jsonschema's Unset sentinel; for a reported error it is set.
        return self.error.validator_value

    @property
    def schema(self) -> dict[str, Any]:
        return self.error.schema if isinstance(self.error.schema, dict) else {}

    @property
    def instance(self) -> Any:
        return self.error.instance

    def diag(self, code: str, message: str, hint: str, path: JsonPath | None = None) -> Diagnostic:
        return _diag(code, message, self.origin, self.path if path is None else path, hint)


def _unknown_keys(f: _Failure) -> list[Diagnostic] | None:
    if not isinstance(f.instance, dict):
        return None
    known = sorted(f.schema.get("properties", {}))
    out = []
    for key in (k for k in f.instance if k not in known):
        close = _close_matches(str(key), known)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(known)}"
        out.append(f.diag("SS122", f"unknown key {key!r} in {f.kind}", _with_note(key, hint), (*f.path, key)))
    return out


def _missing_keys(f: _Failure) -> list[Diagnostic]:
    missing = [k for k in f.rule_value if isinstance(f.instance, dict) and k not in f.instance]
    where = f" in {_describe_path(f.path)}" if f.path else f" in {f.kind}"
    return [f.diag("SS123", f"missing required key {key!r}{where}", f"add '{key}:'") for key in missing]


def _wrong_type(f: _Failure) -> list[Diagnostic]:
    expected = f.rule_value
    expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
    message = f"{_describe_path(f.path)} must be {_article(expected_text)}, not {_json_type(f.instance)}"
    return [f.diag("SS121", message, _type_hint(expected_text, f.instance))]


def _not_allowed(f: _Failure) -> list[Diagnostic]:
    allowed = f.rule_value if f.validator == "enum" else [f.rule_value]
    allowed_text = ", ".join(str(a) for a in allowed)
    close = _close_matches(str(f.instance), [str(a) for a in allowed])
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {allowed_text}"
    message = f"{f.instance!r} is not allowed for {_describe_path(f.path)}"
    return [f.diag("SS124", message, _with_note(f.instance, hint))]


def _no_match(f: _Failure) -> list[Diagnostic]:
    title = f.schema.get("title") or _describe_path(f.path)
    hint = f.schema.get("description") or f"it must match {f.rule_value}"
    if isinstance(f.instance, str) and "${" in f.instance:
        hint = "references look like ${env:NAME} or ${var:NAME}; write $${ for a literal ${"
    hint = _with_note(f.instance, hint)  # a Cyrillic `о` in a name looks right and fails
    return [f.diag("SS125", f"{f.instance!r} is not a valid {title}", hint)]


def _not_unique(f: _Failure) -> list[Diagnostic] | None:
    return _duplicates(f.instance, f.origin, f.path) if isinstance(f.instance, list) else None


def _out_of_range(f: _Failure) -> list[Diagnostic]:
    message, hint = _range_message(f.validator, f.rule_value, f.path, f.instance)
    if f.validator == "minProperties" and not hint:
        hint = _settings_to_give(f.error.schema, f.instance)
    return [f.diag("SS126", message, hint)]


# validator -> describer; a describer answers None when the error is not of the shape it
# explains, and the generic SS125 message is used.
_DESCRIBERS: dict[str, Callable[[_Failure], list[Diagnostic] | None]] = {
    "additionalProperties": _unknown_keys,
    "required": _missing_keys,
    "type": _wrong_type,
    "enum": _not_allowed,
    "const": _not_allowed,
    "pattern": _no_match,
    "uniqueItems": _not_unique,
    "range": _out_of_range,
}


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
        return f"a boolean ({scalar_text(value)})"
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


def _close_matches(word: str, candidates: Sequence[str]) -> list[str]:
    """The nearest spelling among `candidates`, for a "did you mean"; difflib is imported only
    when a document fails its schema (a clean pre-commit validate does not pay for it)."""
    import difflib

    return difflib.get_close_matches(word, candidates, n=1)
