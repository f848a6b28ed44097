"""Model contenders: our `from_dict`/`to_dict` against pydantic v2 (and msgspec), plus floors.

Decoding turns a parsed dict into typed objects; encoding turns them back. `to_dict` and pydantic's
`model_dump` get an object decoded beforehand, so only the encoding is timed. Only valid payloads
are decoded (every model here refuses the broken ones). `from_dict(compiled)` is `from_dict` with the
validators of the opt-in mypyc build (`bench/compiled.py`), timed only when `make compiled` left one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from graph_invite.models import InviteRequest, InviteResponse

from bench import peers, pydantic_models
from bench.compiled import load_compiled
from bench.corpus import Kind, Payload
from bench.floor import floor_rebuild, floor_walk
from bench.timing import Contender

OURS: dict[Kind, Any] = {"request": InviteRequest, "response": InviteResponse}
PEER_CLASS: dict[Kind, str] = {"request": "InviteRequest", "response": "InviteResponse"}
DECODERS = (
    "floor",
    "from_dict",
    "from_dict(validate=False)",
    "from_dict(compiled)",
    "pydantic",
    "msgspec",
)
ENCODERS = ("rebuild", "to_dict", "model_dump")


@dataclass
class ModelSetup:
    """Peer model classes per payload kind (absent when a peer is missing or cannot decode)."""

    pydantic: dict[Kind, Any] = field(default_factory=dict)
    msgspec: dict[Kind, Any] = field(default_factory=dict)
    compiled: dict[Kind, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_models(folder: Path, corpus: list[Payload]) -> ModelSetup:
    """Generate the peer modules into `folder` (in parallel) and keep the classes that work."""
    setup = ModelSetup()
    build = load_compiled([])  # the validation part notes a missing build
    if build is not None:
        setup.compiled = {kind: getattr(build.models, cls.__name__) for kind, cls in OURS.items()}
    spec = pydantic_models.prepare_spec(folder)
    outputs = {
        pydantic_models.PYDANTIC: folder / "pydantic_models.py",
        pydantic_models.MSGSPEC: folder / "msgspec_models.py",
    }
    started = {
        model_type: pydantic_models.start_codegen(spec, output, model_type)
        for model_type, output in outputs.items()
    }
    for model_type, process in started.items():
        try:
            module = pydantic_models.finish_codegen(process, outputs[model_type])
        except (RuntimeError, ImportError, TypeError) as failure:
            setup.notes.append(f"{model_type}: no models ({failure})")
            continue
        if model_type == pydantic_models.PYDANTIC:
            setup.pydantic = _classes(module)
        else:
            setup.msgspec = _usable_msgspec(module, corpus, setup.notes)
    return setup


def _classes(module: ModuleType) -> dict[Kind, Any]:
    return {kind: getattr(module, name) for kind, name in PEER_CLASS.items()}


def _usable_msgspec(module: ModuleType, corpus: list[Payload], notes: list[str]) -> dict[Kind, Any]:
    """The msgspec Structs that can decode the corpus; msgspec refuses some unions outright."""
    msgspec = peers.optional_module("msgspec")
    usable: dict[Kind, Any] = {}
    if msgspec is None:
        return usable
    for kind, model in _classes(module).items():
        sample = next(payload for payload in corpus if payload.kind == kind and payload.valid)
        try:
            msgspec.convert(sample.data, model)
        except (TypeError, msgspec.ValidationError) as refusal:
            notes.append(f"msgspec: not timed for {PEER_CLASS[kind]}: {str(refusal)[:160]}")
            continue
        usable[kind] = model
    return usable


def _decoders(payload: Payload, setup: ModelSetup) -> dict[str, Callable[[], object]]:
    data, ours = payload.data, OURS[payload.kind]
    calls: dict[str, Callable[[], object]] = {
        "floor": lambda: floor_walk(data),
        "from_dict": lambda: ours.from_dict(data),
        "from_dict(validate=False)": lambda: ours.from_dict(data, validate=False),
    }
    if payload.kind in setup.compiled:
        calls["from_dict(compiled)"] = lambda: setup.compiled[payload.kind].from_dict(data)
    if payload.kind in setup.pydantic:
        calls["pydantic"] = lambda: setup.pydantic[payload.kind].model_validate(data)
    msgspec = peers.optional_module("msgspec")
    if payload.kind in setup.msgspec and msgspec is not None:
        calls["msgspec"] = lambda: msgspec.convert(data, setup.msgspec[payload.kind])
    return calls


def _encoders(payload: Payload, setup: ModelSetup) -> dict[str, Callable[[], object]]:
    data = payload.data
    decoded = OURS[payload.kind].from_dict(data)
    calls: dict[str, Callable[[], object]] = {
        "rebuild": lambda: floor_rebuild(data),
        "to_dict": decoded.to_dict,
    }
    if payload.kind in setup.pydantic:
        model = setup.pydantic[payload.kind].model_validate(data)
        calls["model_dump"] = lambda: model.model_dump(by_alias=True, exclude_unset=True)
    return calls


def model_contenders(payload: Payload, setup: ModelSetup) -> list[Contender]:
    """Decoders then encoders for one valid payload, in table order."""
    calls = {**_decoders(payload, setup), **_encoders(payload, setup)}
    return [Contender(name, calls[name]) for name in (*DECODERS, *ENCODERS) if name in calls]


def round_trips(payload: Payload, setup: ModelSetup) -> dict[str, bool]:
    """Whether decoding then encoding gives back the payload exactly (ours; pydantic)."""
    ours = OURS[payload.kind].from_dict(payload.data).to_dict() == payload.data
    result = {"to_dict": ours}
    if payload.kind in setup.compiled:
        compiled = setup.compiled[payload.kind].from_dict(payload.data).to_dict()
        result["to_dict(compiled)"] = compiled == payload.data
    if payload.kind in setup.pydantic:
        model = setup.pydantic[payload.kind].model_validate(payload.data)
        result["model_dump"] = model.model_dump(by_alias=True, exclude_unset=True) == payload.data
    return result
