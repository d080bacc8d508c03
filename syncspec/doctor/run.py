"""The doctor run: which documented reads are sent, in which order, and what is made of them.

Ids come from earlier answers (connectors and connections from the lists, actor types from
the connection summary, field ids from the mappings), so every read asks about something
the tenant has. The run is bounded by `Limits`: a few connections and connectors, a few
actor types and default-value reads per connection, one archive page per connection, a
few CRM lists: at most `Limits.max_requests()` requests, 80 with the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from syncspec.doctor import shapes, wire
from syncspec.doctor.checks import Expect, agent_availability, authentication, judge, reachability
from syncspec.doctor.observe import (
    Evidence,
    field_type_check,
    observed_list_names,
    questions,
    tallies,
    value_form_check,
)
from syncspec.doctor.report import Check, DoctorReport, Group, Status
from syncspec.doctor.wire import Answer, ProbeRequest

Send = Callable[[ProbeRequest], Answer]

# The reads that need a connection to ask about.
CONNECTION_ENDPOINTS = (
    "ErpSync.GetConnection",
    "ErpSync.GetErpSyncConnectionSummary",
    "ErpSync.GetActorTypeMapping",
    "ErpSync.GetCrmActorType",
    "ErpSync.GetConnectionListMappings",
    "ErpSync.GetDefaultValueInfo",
    "Archive.ErpField",
)
# The endpoints syncspec needs, in report order; CRM lists are appended as they are read.
NEEDED_ENDPOINTS = (
    "ErpSync.GetAllConnectors",
    "ErpSync.GetErpSyncConnectorEntity",
    "ErpSync.GetConfigurationFields",
    "ErpSync.GetAllConnections",
    *CONNECTION_ENDPOINTS,
    *(f"MDOList.{name}" for name in wire.NEEDED_MDO_LISTS),
)
EXAMPLE_CRM_LIST = "category"  # the MDOList page's own example of a list name


@dataclass(frozen=True)
class Limits:
    connections: int = 3
    connectors: int = 3
    actor_types: int = 6  # per connection
    default_values: int = 5  # GetDefaultValueInfo reads per connection
    archive_rows: int = 500  # $top of the one archive page read per connection
    crm_lists: int = 5

    def max_requests(self) -> int:
        """The most requests a run sends: 80 with the defaults."""
        lists = 1 + 1 + 1  # GetAllConnectors, GetAllConnections, MDOList associate
        connectors = 2 * max(self.connectors, self.connections)  # entity + configuration fields
        # GetConnection, the summary, the archive page, the list mappings; per actor type the
        # mapping and the CRM actor type; the default values
        per_connection = 4 + 2 * self.actor_types + self.default_values
        return lists + connectors + self.connections * per_connection + 3 + self.crm_lists


@dataclass
class _Log:
    calls: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str = ""


def _listed(body: Any) -> list[Any]:
    return body if isinstance(body, list) else []


def _ints(values: Iterable[Any]) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _expect_list(items: shapes.Shape) -> Expect:
    return lambda body: shapes.check_list(body, items)


def _expect_object(shape: shapes.Shape) -> Expect:
    return lambda body: shapes.check_object(body, shape)


def _expect_string(body: Any) -> list[str]:
    return (
        [] if isinstance(body, str) else [f"the answer is {shapes.json_kind(body)}, documented as a string"]
    )


class DoctorRun:
    """One run against one tenant; `send` is `Probe.send` (or any function of the same form)."""

    def __init__(self, send: Send, limits: Limits = Limits()) -> None:
        self._send = send
        self.limits = limits
        self.evidence = Evidence()
        self._logs: dict[str, _Log] = {name: _Log() for name in NEEDED_ENDPOINTS}
        self._agent_answers: list[Answer] = []
        self._config_types: dict[int, dict[str, str]] = {}
        self._list_references: list[Any] = []
        self.requests = 0

    # --- one call -------------------------------------------------------------------------
    def _call(self, request: ProbeRequest, expect: Expect, keys: Sequence[str]) -> Any:
        """The answer's JSON when it is a success in the documented shape, else None (logged)."""
        return self._exchange(request, expect, keys)[0]

    def _exchange(self, request: ProbeRequest, expect: Expect, keys: Sequence[str]) -> tuple[Any, Answer]:
        answer = self._send(request)
        self.requests += 1
        if request.endpoint.startswith("ErpSync."):
            self._agent_answers.append(answer)
        return self._judged(request, answer, expect, keys), answer

    def _judged(self, request: ProbeRequest, answer: Answer, expect: Expect, keys: Sequence[str]) -> Any:
        verdict = judge(answer, expect, key_properties=keys)
        log = self._logs.setdefault(request.endpoint, _Log())
        log.calls += 1
        if not verdict.ok:
            described = _described(request)
            log.failures.append(f"{described}: {verdict.reason}" if described else verdict.reason)
            return None
        return verdict.body

    def _skip(self, endpoint: str, reason: str) -> None:
        log = self._logs[endpoint]
        if not log.calls and not log.skipped:
            log.skipped = reason

    # --- the run --------------------------------------------------------------------------
    def run(self, *, environment: str, target: str, has_token: bool) -> DoctorReport:
        items = _expect_list(shapes.MDO_LIST_ITEM)
        connectors, first = self._exchange(
            wire.get_all_connectors(), _expect_list(shapes.CONNECTOR_LIST_ITEM), ("Id",)
        )
        reach = reachability(first)
        if reach.status is Status.FAIL:
            return self._report([reach], "the tenant did not answer", environment, target)
        _, associates = self._exchange(wire.mdo_list("associate"), items, ("Id",))
        auth = authentication(first, associates, has_token=has_token)
        if auth.status is Status.FAIL:
            return self._report([reach, auth], "authentication failed", environment, target)
        self._read_agent(connectors)
        self._read_lists()
        agent = agent_availability(self._agent_answers, associates)
        return self._report([reach, auth, agent], "", environment, target)

    def _read_agent(self, connector_list: Any) -> None:
        connectors = _listed(connector_list)
        connection_list = self._call(
            wire.get_all_connections(), _expect_list(shapes.CONNECTION), ("ErpConnectionId",)
        )
        connections = _listed(connection_list)
        for connection in connections[: shapes.ITEMS_CHECKED]:
            if isinstance(connection, dict):
                self.evidence.config_fields_in_list(connection.get("ConfigFields"))
        chosen = _live_connections(connections)[: self.limits.connections]
        connector_ids = _ints(c.get("ErpConnectorId") for c in chosen)
        connector_ids += _ints(c.get("Id") for c in connectors if isinstance(c, dict))
        for connector_id in list(dict.fromkeys(connector_ids))[: self.limits.connectors]:
            self._read_connector(connector_id)
        for endpoint in ("ErpSync.GetErpSyncConnectorEntity", "ErpSync.GetConfigurationFields"):
            self._skip(endpoint, _none_to_read_with("connector", connector_list))
        for connection in chosen:
            self._read_connection(connection)
        for endpoint in CONNECTION_ENDPOINTS:
            self._skip(endpoint, _none_to_read_with("connection", connection_list))

    def _read_connector(self, connector_id: int) -> None:
        self._call(
            wire.get_connector_entity(connector_id),
            _expect_object(shapes.CONNECTOR_ENTITY),
            ("ErpConnectorId",),
        )
        fields = _listed(
            self._call(
                wire.get_configuration_fields(connector_id),
                _expect_list(shapes.FIELD_METADATA),
                ("FieldKey",),
            )
        )
        types: dict[str, str] = {}
        for item in fields:
            if isinstance(item, dict):
                self.evidence.field_type("GetConfigurationFields", item.get("FieldType"))
                kind = item.get("FieldType") if isinstance(item.get("FieldType"), str) else None
                if isinstance(item.get("FieldKey"), str) and kind:
                    types[item["FieldKey"]] = kind
                self.evidence.value("connector default", kind, item.get("DefaultValue"))
        self._config_types[connector_id] = types

    def _read_connection(self, listed: dict[str, Any]) -> None:
        connection_id: int = listed["ErpConnectionId"]
        self._read_connection_entity(connection_id, listed.get("ErpConnectorId"))
        summary = self._call(
            wire.get_connection_summary(connection_id), _expect_object(shapes.CONNECTION_SUMMARY), ("Actors",)
        )
        actors = [a.get("ActorType") for a in _listed((summary or {}).get("Actors")) if isinstance(a, dict)]
        rows = self._read_archive(connection_id)
        if not actors:  # fall back on the archive's actor types, so the mappings are still read
            actors = [r.get("ActorTypeErp") for r in rows if isinstance(r, dict)]
        names = [a for a in dict.fromkeys(actors) if isinstance(a, str) and a]
        field_ids: list[int] = []
        field_types: dict[tuple[str, str], str] = {}
        for actor in names[: self.limits.actor_types]:
            field_ids += self._read_mapping(connection_id, actor, field_types)
            self._call(wire.get_crm_actor_type(connection_id, actor), _expect_string, ())
        if not names:
            for endpoint in ("ErpSync.GetActorTypeMapping", "ErpSync.GetCrmActorType"):
                self._skip(endpoint, "no connection read has an actor type")
        self._archive_defaults(rows, field_types)
        self._read_list_mappings(connection_id)
        for erp_field_id in field_ids[: self.limits.default_values]:
            self._read_default(erp_field_id)
        if not field_ids:
            self._skip("ErpSync.GetDefaultValueInfo", "no ERP field was read from the mappings")

    def _read_connection_entity(self, connection_id: int, connector_id: object) -> None:
        connection = self._call(
            wire.get_connection(connection_id), _expect_object(shapes.CONNECTION), ("ErpConnectionId",)
        )
        if isinstance(connection, dict) and isinstance(connector_id, int):
            if connector_id not in self._config_types:
                self._read_connector(connector_id)
            self.evidence.config_values(
                connection.get("ConfigFields"), self._config_types.get(connector_id, {})
            )

    def _archive_defaults(self, rows: list[Any], field_types: dict[tuple[str, str], str]) -> None:
        for row in rows:
            if isinstance(row, dict):
                kind = field_types.get((str(row.get("ActorTypeErp")), str(row.get("ErpFieldKey"))))
                self.evidence.value("archive first-sync default", kind, row.get("FirstSyncDefaultValue"))

    def _read_list_mappings(self, connection_id: int) -> None:
        mappings = self._call(
            wire.get_list_mappings(connection_id),
            _expect_object(shapes.LIST_MAPPINGS),
            ("ErpListItemMappings",),
        )
        for mapping in _listed((mappings or {}).get("ErpListItemMappings")):
            for item in _listed(mapping.get("ErpCrmListItemMappings") if isinstance(mapping, dict) else None):
                if isinstance(item, dict):
                    self.evidence.list_item(item.get("CrmListItem"))

    def _read_archive(self, connection_id: int) -> list[Any]:
        top = self.limits.archive_rows
        page = self._call(
            wire.archive_erp_fields(connection_id, top), _expect_object(shapes.ARCHIVE_PAGE), ("value",)
        )
        rows = _listed((page or {}).get("value"))
        if page is not None and (page.get("odata.nextLink") or len(rows) >= top):
            self._logs["Archive.ErpField"].notes.append(f"read the first {top} rows only")
        return rows

    def _read_mapping(self, connection_id: int, actor: str, types: dict[tuple[str, str], str]) -> list[int]:
        mapping = self._call(
            wire.get_actor_type_mapping(connection_id, actor),
            _expect_object(shapes.ACTOR_TYPE_MAPPING),
            ("FieldMappings", "ActorTypeErp"),
        )
        ids: list[int] = []
        for item in _listed((mapping or {}).get("FieldMappings")):
            if not isinstance(item, dict):
                continue
            self.evidence.field_type("GetActorTypeMapping", item.get("FieldType"))
            if isinstance(item.get("FieldType"), str):
                types[(actor, str(item.get("ErpFieldKey")))] = item["FieldType"]
            ids += _ints([item.get("ErpFieldId")])
            self._list_references.append(item.get("ListReference"))
        return ids

    def _read_default(self, erp_field_id: int) -> None:
        default = self._call(
            wire.get_default_value_info(erp_field_id), _expect_object(shapes.DEFAULT_VALUE), ("ErpFieldId",)
        )
        if isinstance(default, dict):
            kind = default.get("FieldType") if isinstance(default.get("FieldType"), str) else None
            self.evidence.field_type("GetDefaultValueInfo", default.get("FieldType"))
            self.evidence.value("default", kind, default.get("DefaultValue"))
            self.evidence.value("first-sync default", kind, default.get("FirstSyncDefaultValue"))

    def _read_lists(self) -> None:
        """The MDO lists syncspec needs (associate was read first), then the CRM lists that the
        mapped fields refer to, or the MDOList page's example list when none does."""
        for name in wire.NEEDED_MDO_LISTS:
            if name != "associate":
                self._call(wire.mdo_list(name), _expect_list(shapes.MDO_LIST_ITEM), ("Id",))
        referred = observed_list_names(self._list_references)
        names = [n for n in referred if wire.is_list_name(n)]
        for name in (names or [EXAMPLE_CRM_LIST])[: self.limits.crm_lists]:
            self._call(wire.mdo_list(name), _expect_list(shapes.MDO_LIST_ITEM), ("Id",))
            log = self._logs[f"MDOList.{name}"]
            log.notes.append(
                "a CRM list" if names else "a CRM list: the page's example; no mapped field names one"
            )
        if len(names) < len(referred):
            self._logs[f"MDOList.{(names or [EXAMPLE_CRM_LIST])[0]}"].notes.append(
                f"{len(referred) - len(names)} list reference(s) name no list doctor can read"
            )

    # --- the report -----------------------------------------------------------------------
    def _report(self, connection: list[Check], stopped: str, environment: str, target: str) -> DoctorReport:
        checks = list(connection)
        if stopped:
            ids = {c.id for c in checks}
            checks += [
                Check(i, Group.CONNECTION, Status.SKIP, f"not checked: {stopped}")
                for i in ("auth", "agent")
                if i not in ids
            ]
        for endpoint, log in self._logs.items():
            checks.append(_endpoint_check(endpoint, log, stopped))
        checks += [field_type_check(self.evidence), value_form_check(self.evidence)]
        return DoctorReport(
            environment=environment,
            target=target,
            checks=tuple(checks),
            field_types=tallies(self.evidence.field_types),
            value_forms=tallies(self.evidence.value_forms),
            questions=questions(self.evidence),
            requests_sent=self.requests,
            limits=asdict(self.limits),
        )


def _endpoint_check(endpoint: str, log: _Log, stopped: str) -> Check:
    notes = f" ({'; '.join(log.notes)})" if log.notes else ""
    if log.failures:
        more = f" (and {len(log.failures) - 1} more)" if len(log.failures) > 1 else ""
        return Check(endpoint, Group.ENDPOINT, Status.FAIL, log.failures[0] + more + notes, log.calls)
    if log.calls:
        calls = "1 call" if log.calls == 1 else f"{log.calls} calls"
        detail = f"answered in the documented shape ({calls}){notes}"
        return Check(endpoint, Group.ENDPOINT, Status.OK, detail, log.calls)
    reason = log.skipped or stopped or "not reached"
    return Check(endpoint, Group.ENDPOINT, Status.SKIP, f"not checked: {reason}{notes}")


def _described(request: ProbeRequest) -> str:
    """The ids a request asked about, for a failure line ("ErpConnectionId=5"); never a secret."""
    if request.endpoint == "Archive.ErpField":
        return ", ".join(v for k, v in request.query if k == "$filter")
    args = [f"{k}={v}" for k, v in request.query if request.endpoint.startswith("ErpSync.")]
    # ids and actor types; a flag like IncludeDeleted says nothing about what failed
    args += [f"{k}={v}" for k, v in (request.body or {}).items() if not isinstance(v, bool)]
    return ", ".join(args)


def run_doctor(
    send: Send, *, environment: str, target: str, has_token: bool, limits: Limits = Limits()
) -> DoctorReport:
    return DoctorRun(send, limits).run(environment=environment, target=target, has_token=has_token)


def _live_connections(connections: list[Any]) -> list[dict[str, Any]]:
    """The listed connections doctor may read further: not deleted, with an id."""
    return [
        c
        for c in connections
        if isinstance(c, dict) and not c.get("Deleted") and isinstance(c.get("ErpConnectionId"), int)
    ]


def _none_to_read_with(what: str, listed: object) -> str:
    """Why the reads that need a `what` are skipped (`_skip` leaves an endpoint that was read alone)."""
    if listed is not None:
        return f"the tenant has no {what} to read with"
    return f"the {what} list could not be read"
