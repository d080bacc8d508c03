"""The sentences that say "nothing to do", written once for every command that prints them."""

from __future__ import annotations

# `syncspec plan` (and `show`) when the plan has no changes.
NO_CHANGES = "No changes. The tenant matches the configuration."
# `syncspec apply` when there is nothing to write.
NOTHING_APPLIED = "No changes. The tenant already matches the configuration; nothing was written."
# `syncspec drift` when the tenant holds what syncspec last applied.
NO_DRIFT = "No drift: the tenant still holds what syncspec last applied."
