"""The embedded SuperOffice: the tenant (SQLite), its ERP connectors, the REST emulator."""
