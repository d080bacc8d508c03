"""The allow-list keeps doctor read-only, and its requests are the documented ones (contract cases)."""

from __future__ import annotations

import dataclasses

import pytest

from syncspec.doctor import wire
from syncspec.doctor.wire import NotReadOnly, ProbeRequest
from tests.contract.contract_cases import load_cases
from tests.doctor.tenants import WRITE_METHODS

CASES = {case.id: case for case in load_cases()}

# case id -> doctor's request for the ids of the case's documented sample request
DOCTOR_REQUESTS: dict[str, ProbeRequest] = {
    "GetAllConnectors": wire.get_all_connectors(),
    "GetErpSyncConnectorEntity": wire.get_connector_entity(794),
    "GetConfigurationFields": wire.get_configuration_fields(724),
    "GetAllConnections": wire.get_all_connections(),
    "GetConnection": wire.get_connection(110),
    "GetErpSyncConnectionSummary": wire.get_connection_summary(140),
    "GetActorTypeMapping": wire.get_actor_type_mapping(88, "Customer"),
    "GetCrmActorType": wire.get_crm_actor_type(870, "Customer"),
    "GetConnectionListMappings": wire.get_list_mappings(924),
    "GetDefaultValueInfo": wire.get_default_value_info(100),
    "Archive.ErpField": wire.archive_erp_fields(152, top=500),
    "MDOList.GetList": wire.mdo_list("category"),
    "MDOList.erpconnections": wire.mdo_list("erpconnections"),
    "MDOList.crmfields": wire.mdo_list("crmfields"),
    "MDOList.associate": wire.mdo_list("associate"),
    "MDOList.usergroup": wire.mdo_list("usergroup"),
}


def test_every_agent_method_doctor_may_call_has_a_documented_request() -> None:
    documented = {CASES[i].wire_method for i in DOCTOR_REQUESTS if CASES[i].wire_method}
    assert documented == wire.READ_AGENT_METHODS


@pytest.mark.parametrize("case_id", sorted(DOCTOR_REQUESTS))
def test_doctor_sends_the_documented_request(case_id: str) -> None:
    documented = CASES[case_id].request
    sent = DOCTOR_REQUESTS[case_id]
    assert (sent.method, sent.path) == (documented["method"], documented["path"])
    query, documented_query = dict(sent.query), dict(documented["query"])
    if case_id == "Archive.ErpField":
        # $select compared as a set of column names
        assert set(query.pop("$select").split(",")) == set(documented_query.pop("$select").split(","))
    assert query == documented_query
    assert (None if sent.body is None else dict(sent.body)) == documented["body"]


def test_the_allow_list_holds_only_reads() -> None:
    assert all(name.startswith("Get") for name in wire.READ_AGENT_METHODS)
    assert not wire.READ_AGENT_METHODS & WRITE_METHODS


@pytest.mark.parametrize(
    "method", sorted(WRITE_METHODS | {"CanDeleteErpSyncConnectorEntity", "NoSuchMethod"})
)
def test_a_write_cannot_even_be_built(method: str) -> None:
    with pytest.raises(NotReadOnly, match="not one of the documented reads"):
        wire.agent(method, {"ErpConnectionId": 1})


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/Agents/ErpSync/GetConnection"),
        ("POST", "/api/v1/MDOList/associate"),
        ("POST", "/api/v1/archive/ErpField"),
        ("PUT", "/api/v1/MDOList/associate"),
        ("DELETE", "/api/v1/Agents/ErpSync/GetConnection"),
        ("GET", "/api/v1/MDOList/../Agents/ErpSync/SaveConnection"),
        ("GET", "/api/v1/MDOList/a/b"),
        ("GET", "/api/v1/archive/ErpConnection"),
        ("POST", "/api/v1/Agents/ErpSync/GetConnection/../SaveConnection"),
        ("POST", "/api/v1/Agents/Contact/GetContact"),
    ],
)
def test_other_methods_and_paths_are_refused(method: str, path: str) -> None:
    assert not wire.is_allowed(method, path)
    with pytest.raises(NotReadOnly):
        ProbeRequest("x", method, path)


def test_a_request_cannot_be_turned_into_a_write() -> None:
    read = wire.get_connection(1)
    with pytest.raises(NotReadOnly):
        dataclasses.replace(read, path="/api/v1/Agents/ErpSync/SaveConnection")


# The column table of the provider page docs/en/api/archive-providers/reference/erpfield.md.
ERPFIELD_PROVIDER_COLUMNS = frozenset(
    [
        "getAllRows",
        "getNoRows",
        "Id",
        "ErpConnectionActorTypeId",
        "ErpFieldKey",
        "DisplayName",
        "DisplayDescription",
        "FieldType",
        "ListName",
        "DefaultValue",
        "MaxLength",
        "Access",
        "HasFirstSyncDefaultValue",
        "FirstSyncDefaultValue",
        "PromptUser",
        "Mandatory",
        "CrmFieldKey",
        "SyncToCrm",
        "SyncToErp",
        "ShowInGui",
        "ShowInSearch",
        "Rank",
        "ListReference",
        "MissingInERP",
        "updatedBy",
        "updatedDate",
        "registeredBy",
        "registeredDate",
        "ConnectionId",
        "ActorTypeErp",
        "PromptOrHasDefault",
    ]
)


def test_the_archive_selects_only_columns_of_the_provider() -> None:
    assert set(wire.ARCHIVE_COLUMNS) <= ERPFIELD_PROVIDER_COLUMNS
