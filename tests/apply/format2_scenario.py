"""The changes of `fixtures/plan-format-2.json`, a plan saved by the syncspec of plan format 2.

Kept free of imports that version did not have: the fixture was made by running
`make_fixture` with that syncspec on the path, and is kept as it was written.
"""

from __future__ import annotations

from tests.apply.helpers import Project, edit

KEY = b"a-plan-signing-key-for-format-2"


def change_everything(project: Project) -> None:
    """Connection fields and config, a field mapping, a list item, defaults, rankings, priority."""
    conn = project.root / "connections"
    norway, sweden = conn / "demo-norway", conn / "demo-sweden"
    edit(norway / "connection.yaml", "(Demo Norge AS)", "(Demo Norge ASA)")
    edit(norway / "connection.yaml", "timeout: 30", "timeout: 45")
    edit(sweden / "connection.yaml", "(Demo Sverige AB)", "(Demo Sverige)")
    edit(
        norway / "customer.mappings.yaml",
        "NAME: {crm: contact.name, direction: both, show_in_search: true}",
        "NAME: {crm: contact.name, direction: both}",
    )
    edit(norway / "customer.lists.yaml", "USD: USD", "USD: null")
    edit(
        norway / "customer.defaults.yaml", "PRICELIST: {value: STD, prompt: true}", "PRICELIST: {value: STD}"
    )
    edit(norway / "customer.ranking.yaml", "[BALANCE, LASTINVOICE,", "[LASTINVOICE, BALANCE,")
    edit(sweden / "customer.ranking.yaml", "order: [", "order: [NAME, ")
