"""The embedded tenant served over SuperOffice's documented REST API (127.0.0.1)."""
