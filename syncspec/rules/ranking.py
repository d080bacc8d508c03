"""Rules on Ranking documents: only field keys the connector reports (duplicates are SS209)."""

from __future__ import annotations

from syncspec.model.diagnostics import Diagnostic
from syncspec.rules.context import ActorContext, locate, unknown_erp_field


def check_ranking(ctx: ActorContext) -> list[Diagnostic]:
    doc = ctx.docs.ranking
    if doc is None:
        return []
    return [
        unknown_erp_field(
            ctx, key, locate(doc, "order", index), code="SS313", address=f"{ctx.address}.ranking"
        )
        for index, key in enumerate(doc.order)
        if key not in ctx.meta.fields
    ]
