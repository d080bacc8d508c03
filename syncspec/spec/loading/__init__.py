"""Loading: which files, YAML with positions (three parsers), interpolation, limits."""
