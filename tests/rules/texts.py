"""Small YAML documents the rule tests combine; line numbers in the tests refer to these layouts."""

from __future__ import annotations

# Lines: 1 kind, 2 name, 3 connector, 4 active, 5 config, 6 server, 7 client, 8 user,
# 9 password, 10 actors, 11 Customer, 12 Person.
CONNECTION = """\
kind: Connection
name: {name}
connector: demo-erp
active: {active}
config:
  server: https://erp.example.com
  client: 1001
  user: sync
  password: ${{env:DEMO_ERP_PASSWORD}}
actors:
  Customer: {{sync: true}}
  Person: {{sync: true}}
"""


def connection(name: str = "main", active: bool = False) -> str:
    return CONNECTION.format(name=name, active="true" if active else "false")


def per_actor(kind: str, body: str, actor: str = "Customer", name: str = "main") -> str:
    """Lines: 1 kind, 2 connection, 3 actor, then `body` from line 4."""
    return f"kind: {kind}\nconnection: {name}\nactor: {actor}\n{body}"


def mappings(fields: str, actor: str = "Customer", name: str = "main") -> str:
    """`fields:` on line 4, the first field on line 5."""
    return per_actor("FieldMappings", "fields:\n" + fields, actor, name)


def lists(field: str, items: str, actor: str = "Customer", name: str = "main") -> str:
    """`field:` on line 4, `items:` on line 5, the first item on line 6."""
    return per_actor("ListMappings", f"field: {field}\nitems:\n" + items, actor, name)


def defaults(fields: str, actor: str = "Customer", name: str = "main") -> str:
    """`fields:` on line 4, the first field on line 5."""
    return per_actor("Defaults", "fields:\n" + fields, actor, name)
