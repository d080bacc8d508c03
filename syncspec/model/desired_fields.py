"""Field-level types of the desired-state models: the schemas' patterns, strict scalars.

Kept apart from `desired.py` so that module holds only the document models and aggregates.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

from pydantic import AfterValidator, StrictBool, StrictFloat, StrictInt, StringConstraints

from syncspec.model.enums import Direction as Direction  # defined in enums; importable from here as before
from syncspec.model.enums import ErpActorType

# The schemas' patterns. `(?!\n)$` instead of `$`: Python's `$` also matches before a final
# newline, Rust's and JavaScript's do not; this spelling means "end of text" in all three.
_END = r"(?!\n)$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}" + _END
ERP_FIELD_KEY_PATTERN = r"^[A-Za-z0-9_.-]{1,254}" + _END
CRM_FIELD_KEY_PATTERN = r"^[a-z]+(\.[A-Za-z0-9_]+)+" + _END
REFERENCE = r"\$\{(?:env|var):[A-Za-z_][A-Za-z0-9_]*\}"
TEXT_WITH_REFERENCES_PATTERN = r"^(?:[^$]|\$(?!\{)|" + REFERENCE + r")*$"
CONNECTOR_URL_PATTERN = r"^(plugin://[A-Za-z0-9_.-]+|app://[A-Za-z0-9_.-]+|https?://\S+)" + _END
TARGET_URL_PATTERN = r"^(?:https?://|" + REFERENCE + r")\S*" + _END
ENVIRONMENT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}" + _END
VARIABLE_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*" + _END

# The ERP actor types a document may name (SuperOffice does not sync Employee or Sale).
SUPPORTED_ACTOR_TYPES: tuple[ErpActorType, ...] = (
    ErpActorType.CUSTOMER,
    ErpActorType.SUPPLIER,
    ErpActorType.PARTNER,
    ErpActorType.PERSON,
    ErpActorType.PROJECT,
)


def supported_actor(value: ErpActorType) -> ErpActorType:
    if value not in SUPPORTED_ACTOR_TYPES:
        raise ValueError(f"actor type must be one of: {', '.join(SUPPORTED_ACTOR_TYPES)}")
    return value


def unique_items(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(value)
    return values


Name: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=NAME_PATTERN)]
ErpFieldKey: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=ERP_FIELD_KEY_PATTERN)]
CrmFieldKey: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=CRM_FIELD_KEY_PATTERN)]
TextWithReferences: TypeAlias = Annotated[
    str, StringConstraints(strict=True, pattern=TEXT_WITH_REFERENCES_PATTERN)
]
Text: TypeAlias = Annotated[str, StringConstraints(strict=True)]
NonEmptyText: TypeAlias = Annotated[str, StringConstraints(strict=True, min_length=1)]
# Item keys and config field keys: any text SuperOffice's 254-character key columns hold.
Key254: TypeAlias = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=254)]
Description: TypeAlias = Annotated[str, StringConstraints(strict=True, max_length=254)]
ConnectorUrl: TypeAlias = Annotated[
    str, StringConstraints(strict=True, max_length=1023, pattern=CONNECTOR_URL_PATTERN)
]
TargetUrl: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=TARGET_URL_PATTERN)]
EnvironmentName: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=ENVIRONMENT_NAME_PATTERN)]
VariableName: TypeAlias = Annotated[str, StringConstraints(strict=True, pattern=VARIABLE_NAME_PATTERN)]
ActorType: TypeAlias = Annotated[ErpActorType, AfterValidator(supported_actor)]
# A value that may contain references (config fields, variables); pattern applies to strings only.
ScalarWithReferences: TypeAlias = TextWithReferences | StrictBool | StrictInt | StrictFloat
Scalar: TypeAlias = Text | StrictBool | StrictInt | StrictFloat
