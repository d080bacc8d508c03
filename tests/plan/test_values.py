"""Config and default values are compared in SuperOffice's CultureDataFormatter form."""

from __future__ import annotations

from dataclasses import replace

from syncspec.model.applied import LastApplied
from syncspec.model.desired import ConnectionDesired
from syncspec.model.enums import FieldMetadataType as T
from syncspec.model.live import LiveDefault, LiveState
from syncspec.model.metadata import ActorMeta, ConfigFieldMeta, Metadata
from syncspec.plan.model import Plan, StepKind
from syncspec.plan.planner import PlanOptions, plan
from tests.support.factories import (
    CUSTOMER,
    NOW,
    connection_doc,
    defaults,
    desired,
    live,
    live_connection,
    metadata,
    resolved,
)


def typed_metadata() -> Metadata:
    base = metadata()
    connector = base.connectors["demo-erp"]
    config = {
        **connector.config_fields,
        "client": ConfigFieldMeta("client", "Client", T.INTEGER),
        "verbose": ConfigFieldMeta("verbose", "Verbose", T.CHECKBOX),
    }
    meta = base.connections["main"]
    customer = meta.actors[CUSTOMER]
    fields = {**customer.fields, "CREDITLIMIT": replace(customer.fields["CREDITLIMIT"], field_type=T.DOUBLE)}
    actors = {**meta.actors, CUSTOMER: ActorMeta(CUSTOMER, customer.crm_actor, fields)}
    return replace(
        base,
        connectors={"demo-erp": replace(connector, config_fields=config)},
        connections={"main": replace(meta, actors=actors)},
    )


def tenant(client: str, verbose: str, credit: str) -> LiveState:
    conn = live_connection()
    customer = conn.actors[CUSTOMER]
    limit = replace(customer.fields["CREDITLIMIT"], default=LiveDefault(has_value=True, value=credit))
    actors = {**conn.actors, CUSTOMER: replace(customer, fields={**customer.fields, "CREDITLIMIT": limit})}
    config = {**conn.config, "client": client, "verbose": verbose}
    return live(replace(conn, config=config, actors=actors))


def plan_for(current: LiveState) -> Plan:
    doc = connection_doc(
        config={"server": "erp.local", "client": 1001, "verbose": True, "password": "${env:PW}"}
    )
    wanted = ConnectionDesired(connection=doc).with_document(defaults({"CREDITLIMIT": {"value": 1000.5}}))
    return plan(
        desired(wanted),
        current,
        typed_metadata(),
        resolved_config=resolved(),
        last_applied=LastApplied.empty(),
        now=NOW,
        options=PlanOptions(),
    )


def test_values_set_in_superoffices_gui_plan_as_no_change() -> None:
    # [I:1001] is 1001, a ticked checkbox [I:1] is true, and [F:1000.50] is 1000.5
    assert plan_for(tenant("[I:1001]", "[I:1]", "[F:1000.50]")).changes == ()


def test_plain_stored_values_are_written_once_in_superoffices_encoding() -> None:
    result = plan_for(tenant("1001", "true", "1000.5"))
    by_address = {c.address: c for c in result.changes}
    config = by_address["connection.main"]
    assert config.after == {"config.client": "[I:1001]", "config.verbose": "[I:1]"}
    assert by_address["connection.main.actor.Customer.field.CREDITLIMIT.default"].after == {
        "value": "[F:1000.5]"
    }
    save = next(s for s in result.steps if s.kind is StepKind.SAVE_CONNECTION)
    sent = save.data["config"]
    assert isinstance(sent, dict) and (sent["client"], sent["verbose"]) == ("[I:1001]", "[I:1]")
    default = next(s for s in result.steps if s.kind is StepKind.SAVE_DEFAULT)
    assert default.data["value"] == "[F:1000.5]"
