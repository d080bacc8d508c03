"""A Mermaid flowchart of a plan's changed mappings, for the pull-request comment.

GitHub and GitLab draw a ```mermaid block as a diagram: one box per connection and actor,
ERP fields on the left, SuperOffice fields on the right, an arrow per sync direction with the
direction written on it (the change reads without colour, and as text where nothing draws).
List item remaps are drawn the same way (ERP item -> SuperOffice item). A change only names
the attributes that differ, so a field whose SuperOffice field did not change shows
"(same CRM field)".

`mermaid_block` returns "" when there is nothing to draw or more than `MAX_EDGES` arrows (a
bigger diagram is unreadable in a comment, and Mermaid refuses very large ones); the markdown
renderer then keeps its tables alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.text import scalar_text
from syncspec.plan.model import Action, Change

MAX_EDGES = 60
_SAME_CRM = "(same CRM field)"


@dataclass(frozen=True)
class MappingEdge:
    group: str  # "connection · actor"
    left: str  # ERP side
    right: str  # SuperOffice side
    direction: str  # to-crm / to-erp / both / none / "" (unchanged, not in the change)
    note: str  # what changed, written on the arrow


def _text(value: JsonValue | None) -> str:
    return "" if value is None or value == "" else scalar_text(value)


def _group(change: Change) -> str:
    actor = Address.parse(change.address).actor
    return f"{change.connection} · {actor}" if actor else change.connection


def _field_edge(change: Change) -> MappingEdge:
    key = Address.parse(change.address).key
    crm_after, crm_before = _given(change.after, "crm"), _given(change.before, "crm")
    direction = _given(change.after, "direction") or ""
    was = _given(change.before, "direction") or ""
    right = crm_after or crm_before or _SAME_CRM
    if change.action is Action.DELETE or crm_after == "" or direction == "none":
        note, direction = f"removed, was {was or 'mapped'}", "none"
    elif change.action is Action.CREATE or crm_before == "" or (was in ("", "none") and direction):
        note = f"added, {direction or 'mapped'}"
    else:
        note = _changed_note(direction, was, crm_before, crm_after)
    return MappingEdge(_group(change), key, right, direction, note + _reason(change))


def _given(values: Mapping[str, JsonValue], name: str) -> str | None:
    """The text of attribute `name`, None when the change does not carry it."""
    return _text(values.get(name)) if name in values else None


def _changed_note(direction: str, was: str, crm_before: str | None, crm_after: str | None) -> str:
    bits = [f"{direction}, was {was}"] if direction else ["direction unchanged"]
    if crm_before and crm_after:
        bits.append(f"was {crm_before}")
    return "; ".join(bits)


def _reason(change: Change) -> str:
    # drift and conflict are what a reviewer must not miss: written on the arrow itself
    kind = change.reason.kind.value
    return f" [{kind}]" if kind in ("drift", "conflict") else ""


def _list_edges(change: Change) -> list[MappingEdge]:
    field = Address.parse(change.address).key
    edges = []
    for name in sorted(set(change.before) | set(change.after)):
        if not name.startswith("item."):
            continue
        before, after = change.before.get(name), change.after.get(name)
        target = change.labels.get(_text(after), _text(after)) if after is not None else ""
        source = change.labels.get(_text(before), _text(before)) if before is not None else ""
        item = f"{field}: {name[5:]}"
        if not target:
            note = f"list item now (No selection), was {source}"
            edges.append(MappingEdge(_group(change), item, source, "none", note + _reason(change)))
        else:
            note = f"list item, was {source}" if source else "list item added"
            edges.append(MappingEdge(_group(change), item, target, "to-crm", note + _reason(change)))
    return edges


def changed_mapping_edges(changes: tuple[Change, ...]) -> list[MappingEdge]:
    edges: list[MappingEdge] = []
    for change in changes:
        if change.kind == "field":
            edges.append(_field_edge(change))
        elif change.kind == "list":
            edges.extend(_list_edges(change))
    return edges


def _label(text: str) -> str:
    # Mermaid reads a quoted label up to the next quote; HTML entities are how it spells one.
    return '"' + text.replace('"', "#quot;") + '"'


_ARROW = {"to-crm": "-->", "both": "<-->", "none": "-.-", "": "---"}


def mermaid_block(changes: tuple[Change, ...]) -> str:
    """The ```mermaid block of the changed mappings, or "" (nothing to draw, or too much)."""
    edges = changed_mapping_edges(changes)
    if not edges or len(edges) > MAX_EDGES:
        return ""
    lines = ["```mermaid", "flowchart LR"]
    groups: dict[str, list[MappingEdge]] = {}
    for edge in edges:
        groups.setdefault(edge.group, []).append(edge)
    node = 0
    for index, (group, members) in enumerate(groups.items()):
        lines.append(f"  subgraph g{index}[{_label(group)}]")
        lines.append("    direction LR")
        for edge in members:
            erp, crm = f"e{node}", f"c{node}"
            node += 1
            note = _label(edge.note)
            left, right = f"{erp}[{_label(edge.left)}]", f"{crm}[{_label(edge.right)}]"
            if edge.direction == "to-erp":
                # drawn from the SuperOffice field back to the ERP field, the way the data flows
                lines.append(f"    {right} -->|{note}| {left}")
            else:
                lines.append(f"    {left} {_ARROW[edge.direction]}|{note}| {right}")
        lines.append("  end")
    lines.append("```")
    return "\n".join(lines)
