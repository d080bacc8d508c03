"""Writing YAML from a tenant's live state (what `syncspec import` writes)."""
