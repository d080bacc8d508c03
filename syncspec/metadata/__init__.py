"""What changed in a tenant's metadata between two reads, and which configuration it touches.

`diff.py` compares two `Metadata` values key by key (pure); `impact.py` links each change to
the documents that name what changed and runs the real semantic rules against the new
metadata to say what `validate` will report. See docs/metadata.md.
"""
