"""JSON Schema: the packaged schemas, checking documents, tenant-specialised schemas."""
