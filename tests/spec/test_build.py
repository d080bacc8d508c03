"""Cross-document checks (SS201-SS218) from YAML text, with the positions the loader really gives."""

from __future__ import annotations

import pytest

from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.source import Origin, PositionIndex
from syncspec.spec.build import Variables, build_desired
from syncspec.spec.loading.documents import LoadedDocument
from syncspec.spec.loading.yamlload import load_bytes

CONNECTOR = "kind: Connector\nname: demo-erp\nurl: plugin://demo\n"
CONNECTION = (
    "kind: Connection\nname: norway\nconnector: demo-erp\n"
    "config:\n  server: ${var:erp_server}\n  password: ${env:ERP_PASSWORD}\n"
    "actors:\n  Customer: {sync: true}\n"
)
MAPPINGS = (
    "kind: FieldMappings\nconnection: norway\nactor: Customer\nfields:\n"
    "  NAME: {crm: contact.name, direction: both}\n"
    "  CATEGORY: {crm: contact.category, direction: to-crm}\n"
    "  BALANCE: {show_in_tab: true}\n"
)
LISTS = "kind: ListMappings\nconnection: norway\nactor: Customer\nfield: CATEGORY\nitems:\n  A: Key account\n"
DEFAULTS = "kind: Defaults\nconnection: norway\nactor: Customer\nfields:\n  SALESREP: {prompt: true}\n"
RANKING = "kind: Ranking\nconnection: norway\nactor: Customer\norder: [BALANCE, NAME]\n"
PRIORITY = "kind: SyncPriority\norder: [norway]\n"
VARIABLES = Variables(
    env={"ERP_PASSWORD": "pa55-build"}, vars={"erp_server": "https://erp"}, environment="test"
)

BASE = {
    "connectors.yaml": CONNECTOR,
    "norway/connection.yaml": CONNECTION,
    "norway/mappings.yaml": MAPPINGS,
    "norway/lists.yaml": LISTS,
    "norway/defaults.yaml": DEFAULTS,
    "norway/ranking.yaml": RANKING,
    "priority.yaml": PRIORITY,
}


def documents(files: dict[str, str]) -> list[LoadedDocument]:
    out: list[LoadedDocument] = []
    for name in sorted(files):
        load = load_bytes(files[name].encode("utf-8"), name)
        assert load.ok, load.diagnostics
        out.extend(load.documents)
    return out


def build(changes: dict[str, str], variables: Variables = VARIABLES) -> list[Diagnostic]:
    return build_desired(documents({**BASE, **changes}), variables)[1]


def where(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.code} {diagnostic.location}"


def test_the_base_project_builds_cleanly_into_one_connection() -> None:
    desired, diagnostics = build_desired(documents(BASE), VARIABLES)
    assert diagnostics == []
    assert list(desired.connectors) == ["demo-erp"]
    connection = desired.connections["norway"]
    actor = next(iter(connection.actors.values()))
    assert actor.mappings is not None and set(actor.mappings.fields) == {"NAME", "CATEGORY", "BALANCE"}
    assert set(actor.lists) == {"CATEGORY"}
    assert actor.defaults is not None and actor.ranking is not None
    assert desired.sync_priority is not None and desired.sync_priority.order == ("norway",)


# (changed files, expected "code file:line:col" for each diagnostic, related locations of the first)
CASES = {
    "SS201": (
        {"norway/again.yaml": CONNECTION.replace("config:", "description: again\nconfig:")},
        ["SS201 norway/connection.yaml:1:1"],
        ["norway/again.yaml:1:1"],
    ),
    # A later document is located at its '---' line.
    "SS202": (
        {"connectors.yaml": CONNECTOR + "---\n" + CONNECTOR},
        ["SS202 connectors.yaml:4:1"],
        ["connectors.yaml:1:1"],
    ),
    "SS203": ({"norway/more.yaml": MAPPINGS}, ["SS203 norway/more.yaml:1:1"], ["norway/mappings.yaml:1:1"]),
    "SS204": ({"norway/more.yaml": DEFAULTS}, ["SS204 norway/more.yaml:1:1"], ["norway/defaults.yaml:1:1"]),
    # Files are read in sorted order, so more.yaml holds the first definition here.
    "SS205": ({"norway/more.yaml": RANKING}, ["SS205 norway/ranking.yaml:1:1"], ["norway/more.yaml:1:1"]),
    "SS206": (
        {"norway/lists.yaml": LISTS + "---\n" + LISTS},
        ["SS206 norway/lists.yaml:7:1"],
        ["norway/lists.yaml:1:1"],
    ),
    "SS207": (
        {"norway/ranking.yaml": RANKING.replace("connection: norway", "connection: norwa")},
        ["SS207 norway/ranking.yaml:2:1"],
        [],
    ),
    "SS208": (
        {"norway/connection.yaml": CONNECTION.replace("connector: demo-erp", "connector: demo")},
        ["SS208 norway/connection.yaml:3:1"],
        [],
    ),
    "SS210": (
        {"priority.yaml": "kind: SyncPriority\norder:\n  - norway\n  - sweden\n"},
        ["SS210 priority.yaml:4:5"],
        [],
    ),
    "SS211": (
        {
            "norway/mappings.yaml": MAPPINGS.replace(
                "{show_in_tab: true}", "{show_in_tab: true, direction: both}"
            )
        },
        ["SS211 norway/mappings.yaml:7:32"],
        [],
    ),
    "SS212": (
        {"norway/defaults.yaml": DEFAULTS.replace("{prompt: true}", "{prompt: false, mandatory: true}")},
        ["SS212 norway/defaults.yaml:5:29"],
        [],
    ),
    "SS213": (
        {"norway/connection.yaml": CONNECTION.replace("var:erp_server", "var:erp_host")},
        ["SS213 norway/connection.yaml:5:3"],
        [],
    ),
    "SS215": (
        {"norway/person.yaml": RANKING.replace("Customer", "Person")},
        ["SS215 norway/person.yaml:3:1"],
        [],
    ),
    "SS216": ({"more-priority.yaml": PRIORITY}, ["SS216 priority.yaml:1:1"], ["more-priority.yaml:1:1"]),
    "SS217": (
        {"norway/lists.yaml": LISTS.replace("CATEGORY", "BALANCE")},
        ["SS217 norway/lists.yaml:4:1"],
        ["norway/mappings.yaml:4:1"],
    ),
    "SS218": ({"project.yaml": "kind: Project\n"}, ["SS218 project.yaml:1:1"], []),
    "SS219": (
        {
            "norway/connection.yaml": CONNECTION.replace(
                "actors:\n  Customer: {sync: true}", "active: true\nactors:\n  Customer: {sync: false}"
            )
        },
        ["SS219 norway/connection.yaml:7:1"],
        [],
    ),
    "SS220": (
        {"norway/defaults.yaml": DEFAULTS.replace("{prompt: true}", "{value: '', prompt: true}")},
        ["SS220 norway/defaults.yaml:5:14"],
        [],
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_cross_document_code_is_located(code: str) -> None:
    changes, expected, related = CASES[code]
    found = build(changes)
    assert [where(d) for d in found] == expected
    assert [str(r) for r in found[0].related] == related
    assert found[0].message and found[0].hint


def test_a_duplicate_points_at_the_later_definition_and_relates_the_first() -> None:
    (found,) = build({"connectors.yaml": CONNECTOR + "---\n" + CONNECTOR})
    assert found.message == "connector 'demo-erp' is defined twice"
    assert found.hint == "merge it into the first definition at connectors.yaml:1:1"
    assert [str(r) for r in found.related] == ["connectors.yaml:1:1"]


@pytest.mark.parametrize(
    ("changes", "hint"),
    [
        ({"norway/ranking.yaml": RANKING.replace("norway", "norwey")}, "did you mean 'norway'?"),
        (
            {"norway/ranking.yaml": RANKING.replace("norway", "zzz")},
            "add a Connection document with that name",
        ),
        ({"norway/connection.yaml": CONNECTION.replace("demo-erp", "demo-epr")}, "did you mean 'demo-erp'?"),
        ({"priority.yaml": "kind: SyncPriority\norder: [nrway]\n"}, "did you mean 'norway'?"),
    ],
)
def test_unknown_names_suggest_a_close_one(changes: dict[str, str], hint: str) -> None:
    (found,) = build(changes)
    assert found.hint == hint


def test_unset_environment_variable_warns_by_default_and_errors_when_asked() -> None:
    unset = Variables(vars={"erp_server": "x"}, environment="test")
    (warning,) = build({}, unset)
    assert (warning.code, warning.severity, str(warning.location)) == (
        "SS214",
        Severity.WARNING,
        "norway/connection.yaml:6:3",
    )
    strict = Variables(vars={"erp_server": "x"}, environment="test", missing_env_is_error=True)
    (error,) = build({}, strict)
    assert (error.code, error.severity) == ("SS214", Severity.ERROR)


def test_the_undefined_variable_hint_names_the_environment() -> None:
    (found,) = build({}, Variables(env={"ERP_PASSWORD": "x"}, environment="prod"))
    assert found.code == "SS213"
    assert found.message == "${var:erp_server} is not defined for environment 'prod'"
    assert "environments.prod.vars" in found.hint


def test_secret_values_never_appear_in_diagnostics() -> None:
    # Make every check fire that looks at the config, with the secret set.
    changes = {"norway/connection.yaml": CONNECTION.replace("var:erp_server", "var:nope")}
    found = build(changes)
    assert found
    for diagnostic in found:
        text = f"{diagnostic.message} {diagnostic.hint} {diagnostic.location}"
        assert "pa55-build" not in text


def test_direction_none_without_a_crm_field_is_fine() -> None:
    assert build({"norway/mappings.yaml": MAPPINGS.replace("{show_in_tab: true}", "{direction: none}")}) == []


def test_list_mappings_without_field_mappings_are_left_to_the_rules() -> None:
    files = {k: v for k, v in BASE.items() if k != "norway/mappings.yaml"}
    assert build_desired(documents(files), VARIABLES)[1] == []


def test_documents_that_could_not_be_built_still_define_their_names() -> None:
    # The Connection and Connector failed the schema check elsewhere: no cascade of unknown names.
    broken = documents(
        {
            "connectors.yaml": CONNECTOR,
            "norway/connection.yaml": CONNECTION,
            "sweden.yaml": "kind: Conection\nname: sweden\n",
        }
    )
    kept = {k: v for k, v in BASE.items() if k not in ("connectors.yaml", "norway/connection.yaml")}
    kept["priority.yaml"] = "kind: SyncPriority\norder: [norway, sweden, denmark]\n"
    rest = documents(kept)
    _, found = build_desired(rest, VARIABLES, unbuilt=broken)
    assert [(d.code, d.message) for d in found] == [
        ("SS210", "sync priority names connection 'denmark', which no Connection document defines")
    ]


def test_a_clean_build_never_asks_for_positions() -> None:
    # Valid files are loaded without positions; a clean build must not re-parse any of them.
    reads: list[str] = []

    def counted(doc: LoadedDocument) -> LoadedDocument:
        def positions() -> PositionIndex:
            reads.append(doc.origin.file)
            return doc.origin.positions()

        origin = Origin(doc.origin.file, doc.origin.document, doc.origin.first_line, positions)
        return LoadedDocument(doc.data, origin)

    docs = [counted(doc) for doc in documents(BASE)]
    _, found = build_desired(docs, VARIABLES)
    assert found == []
    assert reads == []
    _, found = build_desired(docs, Variables(vars={"erp_server": "x"}))
    assert [d.code for d in found] == ["SS214"]
    assert reads == ["norway/connection.yaml"]


def test_an_active_connection_without_a_synchronised_actor_is_only_a_warning() -> None:
    # Not a documented SuperOffice refusal: syncspec advises, it does not block.
    changed = CONNECTION.replace("actors:\n  Customer: {sync: true}", "active: true\nactors: {}")
    found = build(
        {"norway/connection.yaml": changed, "norway/mappings.yaml": MAPPINGS.replace("Customer", "Person")}
    )
    ss219 = [d for d in found if d.code == "SS219"]
    assert [d.severity for d in ss219] == [Severity.WARNING]


def test_an_active_connection_with_a_synchronised_actor_has_no_ss219() -> None:
    changed = CONNECTION.replace("actors:", "active: true\nactors:")
    assert [d.code for d in build({"norway/connection.yaml": changed})] == []


@pytest.mark.parametrize("value", ["''", "'   '", '""'])
def test_an_empty_or_blank_default_value_is_an_error(value: str) -> None:
    found = build({"norway/defaults.yaml": DEFAULTS.replace("{prompt: true}", f"{{value: {value}}}")})
    assert [(d.code, d.severity) for d in found] == [("SS220", Severity.ERROR)]


@pytest.mark.parametrize("value", ["0", "false", "x"])
def test_a_falsy_but_present_default_value_is_fine(value: str) -> None:
    assert build({"norway/defaults.yaml": DEFAULTS.replace("{prompt: true}", f"{{value: {value}}}")}) == []
