"""`AgentTarget`: the `Target` protocol over any `TenantApi` (in-process or REST)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import datetime

from syncspec.model.live import LiveState
from syncspec.model.metadata import Metadata
from syncspec.targets.agent import TenantApi
from syncspec.targets.engine_io import EngineWrites
from syncspec.targets.lists import EmbeddedFacts
from syncspec.targets.prefetch import prefetch
from syncspec.targets.read_live import read_live_state
from syncspec.targets.read_metadata import read_metadata
from syncspec.targets.reads import AgentReads
from syncspec.targets.write import AgentWrites


class AgentTarget(AgentWrites, EngineWrites):
    """Reads and writes one tenant through its ErpSync agent.

    `parallelism` bounds the requests in flight (the REST agent's concurrency); reads
    themselves are a handful per connection. `on_close` releases whatever
    the agent holds (a tenant file, an HTTP client). `embedded_facts` lets an agent that
    offers `EmbeddedFacts` (the in-process one) add them to the metadata.
    """

    def __init__(
        self,
        agent: TenantApi,
        identity: str,
        *,
        parallelism: int = 8,
        on_close: Callable[[], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        embedded_facts: bool = True,
    ) -> None:
        reads = AgentReads(agent, parallelism=parallelism)
        super().__init__(reads)
        # Only the embedded tenant knows CRM field types and every ERP list (docs/targets.md);
        # `embedded_facts=False` reads it as a real tenant is read (documented sources only)
        self._facts = agent if embedded_facts and isinstance(agent, EmbeddedFacts) else None
        if not embedded_facts:
            self._explainer = None  # a config refusal then carries no reason, as over REST
        self._identity = identity
        self._on_close = on_close
        self._clock = clock
        self._closed = False

    @property
    def call_counts(self) -> Counter[str]:
        return self._reads.call_counts

    @property
    def parallelism(self) -> int:
        return self._reads.parallelism

    def identity(self) -> str:
        return self._identity

    def read_live(self, *, connections: Collection[str] | None = None, fresh: bool = False) -> LiveState:
        if fresh and connections is None:
            self._reads.forget_all()
        elif fresh and connections is not None:
            # only what this read covers in depth, and the lists around it: a unit's fresh read
            # of its own connection must not make every other connection be read again
            self._reads.forget_connections_named(connections)
        prefetch(self._reads, connections=connections, live=True, metadata=False, crm_fields=False)
        return read_live_state(self._reads, connections=connections)

    def read_metadata(self, *, connections: Collection[str] | None = None, fresh: bool = False) -> Metadata:
        if fresh:
            self._reads.forget_all()
        now = self._clock() if self._clock else None
        # a plan reads the metadata first (its rules): the connections' reads are asked here
        # side by side, and the live state then finds most of them cached
        crm_fields = self._facts is None
        prefetch(self._reads, connections=connections, live=False, metadata=True, crm_fields=crm_fields)
        return read_metadata(self._reads, facts=self._facts, now=now, connections=connections)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._on_close is not None:
            self._on_close()

    def __enter__(self) -> AgentTarget:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
