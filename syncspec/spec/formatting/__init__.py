"""`syncspec fmt`: canonical YAML that keeps every comment."""
