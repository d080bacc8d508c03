"""SuperOffice's REST WebApi: the wire table, HTTP, retries, deadlines, settings."""
