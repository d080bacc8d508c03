"""The desired state: one frozen pydantic model per document kind, and the aggregates the planner reads.

The models mirror `schemas/<Kind>.schema.json` key for key (YAML keys are the Python names).
A document that passes its schema builds its model, and one that fails its schema fails here too:
scalars are strict (no "yes" -> True, no 1 -> "1"), patterns are the schema's own, and a
key given as null is refused where the schema has no null. Python code may still pass None
for an optional field; only `build_document` (the path from YAML) applies the null rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, Self, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    model_serializer,
    model_validator,
)

from syncspec.model.desired_fields import (
    ActorType,
    ConnectorUrl,
    CrmFieldKey,
    Description,
    EnvironmentName,
    ErpFieldKey,
    Key254,
    Name,
    NonEmptyText,
    Scalar,
    ScalarWithReferences,
    TargetUrl,
    TextWithReferences,
    VariableName,
    unique_items,
)
from syncspec.model.enums import Direction, ErpActorType
from syncspec.model.interval import INTERVAL_PATTERN
from syncspec.model.source import Origin

__all__ = [
    "Access",
    "ActorDesired",
    "ActorSpec",
    "AnyDoc",
    "ConnectionDesired",
    "ConnectionDoc",
    "ConnectorDoc",
    "CrmItemRef",
    "DefaultSpec",
    "DefaultsDoc",
    "DesiredState",
    "Direction",
    "EnvironmentSpec",
    "FieldMappingSpec",
    "FieldMappingsDoc",
    "ListMappingsDoc",
    "LocalState",
    "LocalTarget",
    "PerActorDoc",
    "PostgresState",
    "ProjectDoc",
    "RankingDoc",
    "SuperOfficeTarget",
    "SyncEngineDoc",
    "SyncPriorityDoc",
    "build_document",
]


def _from_document(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and bool(info.context.get("document"))


class _Frozen(BaseModel):
    # python-re: the reference pattern needs a lookahead, which pydantic's default engine lacks.
    # hide_input_in_errors: a literal password must not reach an error message.
    model_config = ConfigDict(
        frozen=True, extra="forbid", regex_engine="python-re", hide_input_in_errors=True
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nulls_in_documents(cls, data: Any, info: ValidationInfo) -> Any:
        # No schema property admits null, so in a document `key:` (empty) is an error, not "unset".
        if isinstance(data, dict) and _from_document(info):
            for key, value in data.items():
                if value is None:
                    raise ValueError(f"{key!r} may not be null; leave the key out instead")
        return data


class _AtLeastOne(_Frozen):
    # The schema's minProperties 1; Python code (e.g. import) may build an empty one.
    @model_validator(mode="before")
    @classmethod
    def _at_least_one_key(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and not data and _from_document(info):
            raise ValueError("give at least one setting")
        return data


class Access(_AtLeastOne):
    """Scope "Specific users and groups": the named user groups and users (associates)."""

    groups: Annotated[tuple[NonEmptyText, ...], AfterValidator(unique_items)] = ()
    users: Annotated[tuple[NonEmptyText, ...], AfterValidator(unique_items)] = ()


class ActorSpec(_Frozen):
    """Whether one ERP actor type of a connection syncs with its SuperOffice entity."""

    sync: StrictBool


class FieldMappingSpec(_AtLeastOne):
    """One ERP field's mapping; a field not set here keeps what the tenant has (None)."""

    crm: CrmFieldKey | None = None
    direction: Direction | None = None
    show_in_search: StrictBool | None = None
    show_in_tab: StrictBool | None = None


class DefaultSpec(_AtLeastOne):
    """Sync default value of one ERP field: Set default value, Ask user for value, Mandatory."""

    value: Scalar | None = None
    prompt: StrictBool | None = None
    mandatory: StrictBool | None = None


class CrmItemRef(_Frozen):
    """A SuperOffice list item by name or by id; neither means "(No selection)".

    In YAML it is written as the name, `{id: N}`, or null; it serializes back the same way.
    """

    name: str | None = None
    id: int | None = None

    @property
    def is_unset(self) -> bool:
        return self.name is None and self.id is None

    @model_serializer
    def _as_yaml(self) -> str | dict[str, int] | None:
        if self.id is not None:
            return {"id": self.id}
        return self.name


def _crm_item_from_yaml(data: Any) -> Any:
    if data is None or isinstance(data, CrmItemRef):
        return CrmItemRef() if data is None else data
    if isinstance(data, str):
        if not data:
            raise ValueError("a list item name may not be empty")
        return CrmItemRef(name=data)
    if isinstance(data, dict) and set(data) == {"id"}:
        item_id = data["id"]
        if isinstance(item_id, float) and item_id.is_integer():
            item_id = int(item_id)  # JSON Schema counts 3.0 as an integer
        if isinstance(item_id, int) and not isinstance(item_id, bool) and item_id >= 1:
            return CrmItemRef(id=item_id)
    raise ValueError("expected a list item name, {id: N} with N >= 1, or null for no selection")


CrmItem: TypeAlias = Annotated[CrmItemRef, BeforeValidator(_crm_item_from_yaml)]


class _Document(_Frozen):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    # Where the document came from; not part of its value (excluded from dumps and repr).
    origin: Origin | None = Field(default=None, exclude=True, repr=False)


class ConnectorDoc(_Document):
    """`kind: Connector`: an ERP sync connector (name and URL)."""

    kind: Literal["Connector"] = "Connector"
    name: Name
    url: ConnectorUrl


class ConnectionDoc(_Document):
    """`kind: Connection`: an ERP connection, its configuration, access and actor types."""

    kind: Literal["Connection"] = "Connection"
    name: Name
    connector: Name
    description: Description = ""
    active: StrictBool = False
    access: Literal["everyone"] | Access = "everyone"
    config: dict[Key254, ScalarWithReferences] = Field(default_factory=dict)
    actors: dict[ActorType, ActorSpec] = Field(default_factory=dict)

    @property
    def all_access(self) -> bool:
        return self.access == "everyone"


class FieldMappingsDoc(_Document):
    """`kind: FieldMappings`: the field mappings of one actor type of one connection."""

    kind: Literal["FieldMappings"] = "FieldMappings"
    connection: Name
    actor: ActorType
    fields: dict[ErpFieldKey, FieldMappingSpec]


class ListMappingsDoc(_Document):
    """`kind: ListMappings`: ERP list items of one list field -> SuperOffice list items."""

    kind: Literal["ListMappings"] = "ListMappings"
    connection: Name
    actor: ActorType
    field: ErpFieldKey
    items: dict[Key254, CrmItem]


class DefaultsDoc(_Document):
    """`kind: Defaults`: sync default values of one actor type of one connection."""

    kind: Literal["Defaults"] = "Defaults"
    connection: Name
    actor: ActorType
    fields: dict[ErpFieldKey, DefaultSpec] = Field(min_length=1)


class RankingDoc(_Document):
    """`kind: Ranking`: the ERP-tab order of one actor type's fields (listed ones first)."""

    kind: Literal["Ranking"] = "Ranking"
    connection: Name
    actor: ActorType
    order: Annotated[tuple[ErpFieldKey, ...], Field(min_length=1), AfterValidator(unique_items)]


class SyncPriorityDoc(_Document):
    """`kind: SyncPriority`: connection names, highest priority first."""

    kind: Literal["SyncPriority"] = "SyncPriority"
    order: Annotated[tuple[Name, ...], AfterValidator(unique_items)]


class SyncEngineDoc(_Document):
    """`kind: SyncEngine`: the Sync tab's automatic sync switch and interval; None keeps the tenant's."""

    kind: Literal["SyncEngine"] = "SyncEngine"
    automatic: StrictBool | None = None
    interval: Annotated[str, StringConstraints(strict=True, pattern=INTERVAL_PATTERN)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_setting(cls, data: Any, info: ValidationInfo) -> Any:
        # The schema's minProperties 2: a SyncEngine document that sets nothing is a mistake.
        if isinstance(data, dict) and _from_document(info) and set(data) <= {"kind"}:
            raise ValueError("give 'automatic', 'interval' or both")
        return data


class LocalState(_Frozen):
    """State (locks, journal, last-applied) in files under `.syncspec/`."""

    backend: Literal["local"] = "local"


class PostgresState(_Frozen):
    """State in PostgreSQL, shared by many CI runners; `dsn` usually a `${env:...}` reference."""

    backend: Literal["postgres"] = "postgres"
    dsn: TextWithReferences | None = None  # None: the SYNCSPEC_PG_DSN environment variable
    project: EnvironmentName | None = None  # the project's name in a shared state database (same form)


class LocalTarget(_Frozen):
    """An embedded tenant in a SQLite file (None: the environment's default file)."""

    type: Literal["local"] = "local"
    path: TextWithReferences | None = None
    # "documented": read it as a real tenant is read, without the embedded tenant's own facts
    reads: Literal["embedded", "documented"] = "embedded"


class SuperOfficeTarget(_Frozen):
    """A SuperOffice tenant (or the emulator) over its REST API."""

    type: Literal["superoffice"] = "superoffice"
    url: TargetUrl
    token: TextWithReferences
    app_token: TextWithReferences | None = None
    ca_bundle: TextWithReferences | None = None


class EnvironmentSpec(_Frozen):
    """One environment of a project: its target and the values of `${var:NAME}`."""

    target: Annotated[LocalTarget | SuperOfficeTarget, Field(discriminator="type")]
    vars: dict[VariableName, ScalarWithReferences] = Field(default_factory=dict)


class ProjectDoc(_Document):
    """`kind: Project` (syncspec.yaml): config directory, state backend, environments."""

    kind: Literal["Project"] = "Project"
    config_dir: NonEmptyText = "connections"
    state: Annotated[LocalState | PostgresState, Field(discriminator="backend")] = LocalState()
    # Empty means "not given": the caller supplies the implicit `default` environment.
    environments: dict[EnvironmentName, EnvironmentSpec] = Field(default_factory=dict)
    default_environment: EnvironmentName | None = None

    @model_validator(mode="before")
    @classmethod
    def _environments_not_empty(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and data.get("environments") == {} and _from_document(info):
            raise ValueError("'environments' needs at least one environment (or leave it out)")
        return data


AnyDoc: TypeAlias = (
    ProjectDoc
    | ConnectorDoc
    | ConnectionDoc
    | FieldMappingsDoc
    | ListMappingsDoc
    | DefaultsDoc
    | RankingDoc
    | SyncPriorityDoc
    | SyncEngineDoc
)
PerActorDoc: TypeAlias = FieldMappingsDoc | ListMappingsDoc | DefaultsDoc | RankingDoc

MODEL_BY_KIND: dict[str, type[AnyDoc]] = {
    "Project": ProjectDoc,
    "Connector": ConnectorDoc,
    "Connection": ConnectionDoc,
    "FieldMappings": FieldMappingsDoc,
    "ListMappings": ListMappingsDoc,
    "Defaults": DefaultsDoc,
    "Ranking": RankingDoc,
    "SyncPriority": SyncPriorityDoc,
    "SyncEngine": SyncEngineDoc,
}


def build_document(data: dict[str, Any], origin: Origin) -> AnyDoc:
    """The model of one loaded document, picked by its `kind`, carrying `origin`.

    Meant for documents that passed their schema; anything else raises ValueError
    (pydantic's ValidationError is one), never a model that the schema would refuse.
    """
    kind = data.get("kind") if isinstance(data, dict) else None
    model = MODEL_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ValueError(f"unknown document kind {kind!r}; known kinds: {', '.join(MODEL_BY_KIND)}")
    if "origin" in data:
        raise ValueError("'origin' is not a document key")
    document = model.model_validate(data, context={"document": True})
    return document.model_copy(update={"origin": origin})


@dataclass(frozen=True)
class ActorDesired:
    """What the configuration says about one ERP actor type of one connection."""

    mappings: FieldMappingsDoc | None = None
    lists: dict[str, ListMappingsDoc] = field(default_factory=dict)  # ERP list field key -> doc
    defaults: DefaultsDoc | None = None
    ranking: RankingDoc | None = None


@dataclass(frozen=True)
class ConnectionDesired:
    """A Connection document and the per-actor documents that configure it."""

    connection: ConnectionDoc
    actors: dict[ErpActorType, ActorDesired] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.connection.name

    def actor(self, actor_type: ErpActorType) -> ActorDesired:
        """The actor's documents (an empty ActorDesired when none were given)."""
        return self.actors.get(actor_type, ActorDesired())

    def with_document(self, doc: PerActorDoc) -> Self:
        """A copy holding `doc` in its actor's slot (replacing one there: duplicates are build's job)."""
        current = self.actor(doc.actor)
        if isinstance(doc, FieldMappingsDoc):
            updated = replace(current, mappings=doc)
        elif isinstance(doc, ListMappingsDoc):
            updated = replace(current, lists={**current.lists, doc.field: doc})
        elif isinstance(doc, DefaultsDoc):
            updated = replace(current, defaults=doc)
        else:
            updated = replace(current, ranking=doc)
        return replace(self, actors={**self.actors, doc.actor: updated})


@dataclass(frozen=True)
class DesiredState:
    """Everything the configuration asks for, keyed by name; the planner's left-hand side."""

    connectors: dict[str, ConnectorDoc] = field(default_factory=dict)
    connections: dict[str, ConnectionDesired] = field(default_factory=dict)
    sync_priority: SyncPriorityDoc | None = None
    sync_engine: SyncEngineDoc | None = None  # None: syncspec leaves the engine alone

    def documents(self) -> Sequence[AnyDoc]:
        """Every document, in a stable order (connectors, then each connection's, then priority)."""
        out: list[AnyDoc] = [self.connectors[name] for name in sorted(self.connectors)]
        for name in sorted(self.connections):
            desired = self.connections[name]
            out.append(desired.connection)
            for actor_type in sorted(desired.actors):
                actor = desired.actors[actor_type]
                out.extend(d for d in (actor.mappings, actor.defaults, actor.ranking) if d is not None)
                out.extend(actor.lists[key] for key in sorted(actor.lists))
        if self.sync_priority is not None:
            out.append(self.sync_priority)
        if self.sync_engine is not None:
            out.append(self.sync_engine)
        return out
