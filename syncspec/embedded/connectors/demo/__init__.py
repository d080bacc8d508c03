"""The built-in demo ERP connector (`plugin://demo`); its catalogue is in docs/demo-erp.md."""

from __future__ import annotations

from syncspec.embedded.connectors.demo.connector import DemoConnector

__all__ = ["DemoConnector"]
