"""Kept for tests written against this module: the example tenant lives in `tests.support`."""

from __future__ import annotations

from tests.support.example import DEMO_PASSWORD, REPO, TENANT_FILE, copy_example
from tests.support.tenants import EXAMPLE_CONNECTIONS as CONNECTIONS
from tests.support.tenants import seed_example_tenant as seed_tenant

__all__ = ["CONNECTIONS", "DEMO_PASSWORD", "REPO", "TENANT_FILE", "copy_example", "seed_tenant"]
