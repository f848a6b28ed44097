"""`MockService`: a spec made servable (routes, compiled schemas, a layer) answering `Incoming`s."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.mock.exchange import (
    Exchange,
    Incoming,
    Layer,
    MockState,
    Recorded,
    Reply,
    client_request_id,
)
from generator.mock.graph import GraphLayer, is_graph_spec, permission_checker
from generator.mock.graph_state import StateFileError, load_fixtures
from generator.mock.operations import NO_EXAMPLE, Answer, MockApi, api_from_resolved
from generator.mock.plain import PlainLayer
from generator.mock.routes import Router
from generator.mock.steps import STEPS
from generator.mock.synth import Synthesiser
from generator.spec.refs import resolve_spec

JSON = "application/json"
# Graph refuses request payloads over 4 MB; the mock's default limit is the same (4 MiB).
MAX_BODY_BYTES = 4 * 1024 * 1024
# Seeds tried before the mock admits it cannot draw a valid body for a schema.
SYNTHESIS_ATTEMPTS = 8


class MockService:
    """A spec made servable: routes, compiled schemas, the layer, and the request steps."""

    def __init__(
        self, api: MockApi, layer: Layer | None = None, *, max_body_bytes: int = MAX_BODY_BYTES
    ) -> None:
        self.api = api
        self.schemas = api.schemas
        self.router = Router(api.operations)
        self.layer: Layer = layer or PlainLayer()
        self.max_body_bytes = max_body_bytes
        # Errors no operation documents take the spec's usual error shape (plain layer only:
        # the Graph layer answers with Graph's own).
        self.error_answer = common_error_answer(api) if self.layer.name == "plain" else None

    @classmethod
    def from_spec(
        cls,
        spec_path: Path,
        *,
        layer: str = "auto",
        state_path: Path | None = None,
        **options: Any,
    ) -> MockService:
        """Load and resolve a spec; the Graph layer for `layer="graph"` or, with `"auto"`, for a
        Graph spec (`is_graph_spec`); `state_path` seeds its store. Raise `SpecErrors` when the
        spec is unusable, `StateFileError` when the state file is."""
        api = api_from_resolved(resolve_spec(spec_path))
        graph = layer == "graph" or (layer == "auto" and is_graph_spec(api))
        if state_path is not None and not graph:
            raise StateFileError("--state needs the Graph layer (--layer graph)")
        fixtures = load_fixtures(state_path, permission_checker(api)) if state_path else None
        return cls(api, GraphLayer(api, fixtures) if graph else None, **options)

    def new_state(self) -> MockState:
        """Fresh state for one server."""
        return MockState(self.layer.new_state())

    def handle(self, incoming: Incoming, state: MockState) -> tuple[Reply, Recorded]:
        """Run the steps; the first that answers decides; check, finish and journal the reply."""
        exchange = Exchange(
            incoming,
            str(uuid.uuid4()),
            client_request_id(incoming.headers),
            self,
            incoming.raw_path,
        )
        reply = next(reply for step in STEPS if (reply := step(self, exchange, state)) is not None)
        if not reply.drop:
            reply = self.layer.finish(exchange, self.conforming(exchange, reply))
        if exchange.delay and not reply.delay:
            reply = replace(reply, delay=exchange.delay)
        match = exchange.match
        entry = Recorded(
            incoming.method,
            incoming.raw_path,
            match.route.template if match else "",
            exchange.operation.operation_id if exchange.operation else "",
            dict(match.parameters) if match else {},
            0 if reply.drop else reply.status,
            exchange.client_request_id,
        )
        state.record(entry)
        headers = {"request-id": exchange.request_id}
        return replace(reply, headers={**headers, **reply.headers}), entry

    def conforming(self, exchange: Exchange, reply: Reply) -> Reply:
        """The reply when it fits the spec's schema for its status; an error body is redrawn to
        fit; any other misfit is a mock bug, answered as a 500."""
        answer = self.answer_for(exchange, reply)
        if answer is None or answer.schema is None or reply.body is None:
            return reply
        violations = self.schemas.errors(answer.schema, reply.body)
        if not violations:
            return reply
        if reply.error:
            hints = _error_hints(reply.body)
            body = self.draw(exchange, answer, hints=hints)
            if body is not NO_EXAMPLE:
                return replace(reply, body=body, content_type=answer.media_type or JSON)
        message = f"mock response {reply.status} breaks its schema: {violations[0].message}"
        error = exchange.error(500, "generalException", message, note=f"MOCK BUG: {message}")
        return self.fitted_error(exchange, error)

    def answer_for(self, exchange: Exchange, reply: Reply) -> Answer | None:
        """The documented response a reply must fit: its operation's for the status, else, for
        an error, the spec's usual error response (`common_error_answer`)."""
        answer = exchange.operation.answer_for(reply.status) if exchange.operation else None
        return self.error_answer if answer is None and reply.error else answer

    def fitted_error(self, exchange: Exchange, error: Reply) -> Reply:
        """An error reply whose body fits the spec's schema for it when it declares one."""
        answer = self.answer_for(exchange, error)
        if (
            answer is None
            or answer.schema is None
            or self.schemas.is_valid(answer.schema, error.body)
        ):
            return error
        drawn = self.draw(exchange, answer, hints=_error_hints(error.body))
        if drawn is NO_EXAMPLE:
            return error
        return replace(error, body=drawn, content_type=answer.media_type or JSON)

    def draw(
        self, exchange: Exchange, answer: Answer, hints: Mapping[str, Any] | None = None
    ) -> Any:
        """The answer's example when it is valid, else a seeded schema-valid value; NO_EXAMPLE
        when none of `SYNTHESIS_ATTEMPTS` draws was valid."""
        assert answer.schema is not None
        if answer.example is not NO_EXAMPLE and not hints:
            if self.schemas.is_valid(answer.schema, answer.example):
                return answer.example
        synthesiser = Synthesiser(self.schemas.document, hints)
        schema = self.schemas.schema(answer.schema)
        rng = exchange.seed()
        for _ in range(SYNTHESIS_ATTEMPTS):
            value = synthesiser.value(schema, rng)
            if self.schemas.is_valid(answer.schema, value):
                return value
        return NO_EXAMPLE


def _error_hints(body: Any) -> dict[str, Any]:
    """`code`/`message`/`target` of an error body (a problem's `status` and `detail` as `code`
    and `message`), offered to the synthesiser by property name."""
    error = body.get("error", body) if isinstance(body, dict) else {}
    hints = {key: error[key] for key in ("code", "message", "target", "detail") if key in error}
    if "status" in error and "code" not in hints:
        hints["code"] = error["status"]
    if "detail" in hints and "message" not in hints:
        hints["message"] = hints["detail"]
    return hints


def common_error_answer(api: MockApi) -> Answer | None:
    """The error response the spec documents most often: a JSON body schema under `default`,
    `4XX`/`5XX` or a 4xx/5xx status, compared by schema text (first found wins a tie); None
    when the spec documents no error body."""
    counts: dict[str, int] = {}
    first: dict[str, Answer] = {}
    for operation in api.operations:
        for answer in operation.answers:
            erroneous = answer.status == "default" or answer.status[:1] in ("4", "5")
            media_type = answer.media_type or ""
            if not erroneous or answer.schema is None or "json" not in media_type:
                continue
            key = json.dumps(api.schemas.schema(answer.schema), sort_keys=True)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, answer)
    return first[max(counts, key=counts.__getitem__)] if counts else None
