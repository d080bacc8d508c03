"""`diff_metadata` on snapshot pairs: one pair per kind of change, built from one base tenant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from syncspec.metadata.changes import ChangeKind as K
from syncspec.metadata.changes import MetadataChange
from syncspec.metadata.diff import diff_metadata, label, summary
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.metadata import (
    ActorMeta,
    ConfigFieldMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    CrmListMeta,
    ErpFieldMeta,
    Metadata,
)

T = FieldMetadataType
CUSTOMER = ErpActorType.CUSTOMER


def _fields(*fields: ErpFieldMeta) -> dict[str, ErpFieldMeta]:
    return {f.key: f for f in fields}


BASE_FIELDS = _fields(
    ErpFieldMeta("CUSTNO", "Customer number", T.TEXT, FieldAccess.READ_ONLY),
    ErpFieldMeta("NAME", "Name", T.TEXT, FieldAccess.MANDATORY, max_length=80),
    ErpFieldMeta("PHONE", "Phone", T.TEXT),
    ErpFieldMeta("PAYTERMS", "Payment terms", T.LIST, list_name="payment_terms"),
)


def base() -> Metadata:
    customer = ActorMeta(CUSTOMER, CrmActorType.CONTACT, BASE_FIELDS)
    connection = ConnectionMeta(
        name="erp",
        connector="demo-erp",
        actors={CUSTOMER: customer},
        erp_lists={"payment_terms": {"CASH": "Cash", "30D": "Net 30 days"}},
    )
    connector = ConnectorMeta(
        name="demo-erp",
        url="plugin://demo",
        config_fields={
            "server": ConfigFieldMeta("server", "Server", T.TEXT, FieldAccess.MANDATORY),
            "language": ConfigFieldMeta(
                "language", "Language", T.LIST, list_name="languages", default_value="en"
            ),
        },
        config_lists={"languages": {"en": "English", "nb": "Norsk"}},
    )
    return Metadata(
        connectors={"demo-erp": connector},
        connections={"erp": connection},
        crm_fields={
            "contact.name": CrmFieldMeta("contact.name", "Name", CrmActorType.CONTACT, T.TEXT, False),
            "contact.phone": CrmFieldMeta("contact.phone", "Phone"),
        },
        crm_lists={"Category": CrmListMeta("Category", {1: "Customer", 2: "Prospect"})},
        users=frozenset({"sync"}),
        groups=frozenset({"Sales"}),
    )


def _with_fields(meta: Metadata, change: Callable[[dict[str, ErpFieldMeta]], object]) -> Metadata:
    conn = meta.connections["erp"]
    fields = dict(conn.actors[CUSTOMER].fields)
    change(fields)
    actor = replace(conn.actors[CUSTOMER], fields=fields)
    return replace(meta, connections={"erp": replace(conn, actors={CUSTOMER: actor})})


def _set_field(key: str, **changes: object) -> Callable[[Metadata], Metadata]:
    def edit(meta: Metadata) -> Metadata:
        def apply(fields: dict[str, ErpFieldMeta]) -> None:
            fields[key] = replace(fields[key], **changes)  # type: ignore[arg-type]

        return _with_fields(meta, apply)

    return edit


def _drop_field(key: str) -> Callable[[Metadata], Metadata]:
    return lambda meta: _with_fields(meta, lambda fields: fields.pop(key))


def _add_field(field: ErpFieldMeta) -> Callable[[Metadata], Metadata]:
    return lambda meta: _with_fields(meta, lambda fields: fields.update({field.key: field}))


def _erp_items(items: dict[str, str]) -> Callable[[Metadata], Metadata]:
    def edit(meta: Metadata) -> Metadata:
        conn = meta.connections["erp"]
        return replace(meta, connections={"erp": replace(conn, erp_lists={"payment_terms": items})})

    return edit


def _connector(**changes: object) -> Callable[[Metadata], Metadata]:
    def edit(meta: Metadata) -> Metadata:
        return replace(meta, connectors={"demo-erp": replace(meta.connectors["demo-erp"], **changes)})  # type: ignore[arg-type]

    return edit


def _config_fields(
    edit_fields: Callable[[dict[str, ConfigFieldMeta]], object],
) -> Callable[[Metadata], Metadata]:
    def edit(meta: Metadata) -> Metadata:
        fields = dict(meta.connectors["demo-erp"].config_fields)
        edit_fields(fields)
        return _connector(config_fields=fields)(meta)

    return edit


def _crm(**changes: object) -> Callable[[Metadata], Metadata]:
    return lambda meta: replace(meta, **changes)  # type: ignore[arg-type]


def _actors(actors: dict[ErpActorType, ActorMeta]) -> Callable[[Metadata], Metadata]:
    def edit(meta: Metadata) -> Metadata:
        return replace(meta, connections={"erp": replace(meta.connections["erp"], actors=actors)})

    return edit


PERSON = ActorMeta(ErpActorType.PERSON, CrmActorType.PERSON, _fields(ErpFieldMeta("PERSNO", "No", T.TEXT)))
CHANGED_NAME = CrmFieldMeta("contact.name", "Name", CrmActorType.CONTACT, T.TEXT, True)

# (name, edit of the base, the one change expected)
PAIRS: list[tuple[str, Callable[[Metadata], Metadata], MetadataChange]] = [
    (
        "field removed",
        _drop_field("PHONE"),
        MetadataChange(K.ERP_FIELD_REMOVED, "erp", "Customer", subject="PHONE", before="Text, Normal"),
    ),
    (
        "field flagged MissingInERP",
        _set_field("PHONE", missing_in_erp=True),
        MetadataChange(
            K.ERP_FIELD_REMOVED,
            "erp",
            "Customer",
            subject="PHONE",
            before="Text, Normal",
            after="MissingInERP",
        ),
    ),
    (
        "field added",
        _add_field(ErpFieldMeta("EMAIL", "E-mail", T.TEXT, FieldAccess.MANDATORY)),
        MetadataChange(K.ERP_FIELD_ADDED, "erp", "Customer", subject="EMAIL", after="Text, Mandatory"),
    ),
    (
        "field retyped",
        _set_field("PHONE", field_type=T.INTEGER),
        MetadataChange(
            K.ERP_FIELD_RETYPED, "erp", "Customer", subject="PHONE", before="Text", after="Integer"
        ),
    ),
    (
        "field made mandatory",
        _set_field("PHONE", access=FieldAccess.MANDATORY),
        MetadataChange(
            K.ERP_FIELD_MADE_MANDATORY, "erp", "Customer", subject="PHONE", before="Normal", after="Mandatory"
        ),
    ),
    (
        "field made read-only",
        _set_field("PHONE", access=FieldAccess.READ_ONLY),
        MetadataChange(
            K.ERP_FIELD_MADE_READ_ONLY, "erp", "Customer", subject="PHONE", before="Normal", after="ReadOnly"
        ),
    ),
    (
        "field no longer mandatory",
        _set_field("NAME", access=FieldAccess.NORMAL),
        MetadataChange(
            K.ERP_FIELD_ACCESS_CHANGED, "erp", "Customer", subject="NAME", before="Mandatory", after="Normal"
        ),
    ),
    (
        "field uses another list",
        _set_field("PAYTERMS", list_name="terms2"),
        MetadataChange(
            K.ERP_FIELD_LIST_CHANGED,
            "erp",
            "Customer",
            subject="PAYTERMS",
            before="payment_terms",
            after="terms2",
        ),
    ),
    (
        "field shortened",
        _set_field("NAME", max_length=40),
        MetadataChange(
            K.ERP_FIELD_CHANGED,
            "erp",
            "Customer",
            subject="NAME",
            before="'Name', max 80",
            after="'Name', max 40",
        ),
    ),
    (
        "list item removed",
        _erp_items({"CASH": "Cash"}),
        MetadataChange(
            K.ERP_LIST_ITEM_REMOVED, "erp", owner="payment_terms", subject="30D", before="Net 30 days"
        ),
    ),
    (
        "list item added",
        _erp_items({"CASH": "Cash", "30D": "Net 30 days", "60D": "Net 60 days"}),
        MetadataChange(
            K.ERP_LIST_ITEM_ADDED, "erp", owner="payment_terms", subject="60D", after="Net 60 days"
        ),
    ),
    (
        "list item renamed",
        _erp_items({"CASH": "Cash", "30D": "30 days net"}),
        MetadataChange(
            K.ERP_LIST_ITEM_RENAMED,
            "erp",
            owner="payment_terms",
            subject="30D",
            before="Net 30 days",
            after="30 days net",
        ),
    ),
    (
        "actor type offered",
        _actors({CUSTOMER: base().connections["erp"].actors[CUSTOMER], ErpActorType.PERSON: PERSON}),
        MetadataChange(K.ACTOR_OFFERED, "erp", "Person", subject="Person"),
    ),
    (
        "actor type withdrawn",
        _actors({}),
        MetadataChange(K.ACTOR_WITHDRAWN, "erp", "Customer", subject="Customer"),
    ),
    (
        "config field removed",
        _config_fields(lambda f: f.pop("language")),
        MetadataChange(K.CONFIG_FIELD_REMOVED, owner="demo-erp", subject="language"),
    ),
    (
        "config field added",
        _config_fields(lambda f: f.update({"client": ConfigFieldMeta("client", "Client", T.INTEGER)})),
        MetadataChange(K.CONFIG_FIELD_ADDED, owner="demo-erp", subject="client", after="Integer, Normal"),
    ),
    (
        "config field default changed",
        _config_fields(lambda f: f.update({"language": replace(f["language"], default_value="nb")})),
        MetadataChange(
            K.CONFIG_FIELD_CHANGED,
            owner="demo-erp",
            subject="language",
            before="List, Normal, list languages, default 'en'",
            after="List, Normal, list languages, default 'nb'",
        ),
    ),
    (
        "config list item removed",
        _connector(config_lists={"languages": {"en": "English"}}),
        MetadataChange(K.CONFIG_LIST_ITEM_REMOVED, owner="languages", subject="nb", before="Norsk"),
    ),
    (
        "connector URL changed",
        _connector(url="plugin://demo2"),
        MetadataChange(K.CONNECTOR_URL_CHANGED, subject="demo-erp"),
    ),
    (
        "CRM field removed",
        _crm(crm_fields={"contact.name": base().crm_fields["contact.name"]}),
        MetadataChange(K.CRM_FIELD_REMOVED, subject="contact.phone"),
    ),
    (
        "CRM field made read-only",
        _crm(crm_fields={**base().crm_fields, "contact.name": CHANGED_NAME}),
        MetadataChange(
            K.CRM_FIELD_CHANGED, subject="contact.name", before="read-only no", after="read-only yes"
        ),
    ),
    (
        "CRM list item removed",
        _crm(crm_lists={"Category": CrmListMeta("Category", {1: "Customer"})}),
        MetadataChange(K.CRM_LIST_ITEM_REMOVED, owner="Category", subject="2", before="Prospect"),
    ),
    (
        "CRM list item renamed",
        _crm(crm_lists={"Category": CrmListMeta("Category", {1: "Customer", 2: "Lead"})}),
        MetadataChange(
            K.CRM_LIST_ITEM_RENAMED, owner="Category", subject="2", before="Prospect", after="Lead"
        ),
    ),
    ("CRM list removed", _crm(crm_lists={}), MetadataChange(K.CRM_LIST_REMOVED, owner="Category")),
    ("user removed", _crm(users=frozenset()), MetadataChange(K.USER_REMOVED, subject="sync")),
    (
        "group added",
        _crm(groups=frozenset({"Sales", "Support"})),
        MetadataChange(K.GROUP_ADDED, subject="Support"),
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_each_kind_of_change_is_named_once(
    name: str, edit: Callable[[Metadata], Metadata], expected: MetadataChange
) -> None:
    before, after = base(), edit(base())
    assert diff_metadata(before, after) == (expected,)
    assert expected.describe()  # every kind has a description


@pytest.mark.parametrize(("name", "edit", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_the_reverse_pair_is_also_a_change(
    name: str, edit: Callable[[Metadata], Metadata], expected: MetadataChange
) -> None:
    assert diff_metadata(edit(base()), base()) != ()


def test_the_same_metadata_has_no_changes() -> None:
    assert diff_metadata(base(), base()) == ()
    assert summary(()) == "no changes"


def test_what_the_tenant_does_not_tell_is_not_a_change() -> None:
    # a CRM field's unknown type (None, over REST) against a known one, and an ERP list the
    # tenant stops publishing: unknown, not changed or emptied
    unknown = replace(base().crm_fields["contact.name"], field_type=None, read_only=None)
    after = replace(base(), crm_fields={**base().crm_fields, "contact.name": unknown})
    assert diff_metadata(base(), after) == ()
    unpublished = _erp_items({})(base())
    conn = unpublished.connections["erp"]
    gone = replace(unpublished, connections={"erp": replace(conn, erp_lists={})})
    assert [c.kind for c in diff_metadata(base(), gone)] == [K.ERP_LIST_REMOVED]


def test_several_changes_come_in_a_stable_order_and_summarise_in_one_line() -> None:
    after = _drop_field("PHONE")(
        _set_field("NAME", access=FieldAccess.NORMAL)(_erp_items({"CASH": "Cash"})(base()))
    )
    changes = diff_metadata(base(), after)
    assert [(c.kind, c.subject) for c in changes] == [
        (K.ERP_FIELD_ACCESS_CHANGED, "NAME"),
        (K.ERP_FIELD_REMOVED, "PHONE"),
        (K.ERP_LIST_ITEM_REMOVED, "30D"),
    ]
    assert summary(changes) == "1 ERP field removed, 1 ERP field access changed, 1 ERP list item removed"
    assert label(K.ERP_FIELD_MADE_READ_ONLY) == "ERP field made read-only"
    assert label(K.ACTOR_WITHDRAWN, 2) == "actor types withdrawn"
    assert label(K.CONNECTOR_URL_CHANGED) == "connector URL changed"


def test_a_password_default_never_enters_a_change() -> None:
    secret = ConfigFieldMeta("password", "Password", T.PASSWORD, default_value="hunter2-default")
    after = _config_fields(lambda f: f.update({"password": secret}))(base())
    (change,) = diff_metadata(base(), after)
    assert "hunter2" not in repr(change) and "hunter2" not in change.describe()
