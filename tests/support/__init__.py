"""Test support shared by the test folders: factories of desired state, live state, metadata
and plans (`factories`), the example project (`example`), embedded tenants seeded through
the agent (`tenants`) and the documented reads tests check tenants with (`reads`).

Everything here builds real values and real tenants; nothing replaces a syncspec layer.
"""
