"""Worker process for `test_compiled_differential.py`: answers with the compiled build's verdicts.

Started with the compiled build (`build/compiled/site`) first on `PYTHONPATH`, so
`graph_invite.validators` here is the mypyc extension module, while the test process keeps the
pure-Python package. Protocol on stdin/stdout: length-prefixed pickles; a request is
`(schema_name, model_class_name or None, instance)`, the answer is `outcome(...)` of it.
An empty request ends the worker.
"""

from __future__ import annotations

import copy
import importlib.machinery
import pickle
import struct
import sys
from types import ModuleType
from typing import Any, BinaryIO

_HEADER = struct.Struct("!I")


def error_fields(error: Any) -> tuple[Any, ...]:
    """What must match between builds: path, schema path, rule, description, message, value."""
    return (
        tuple(error.path),
        error.schema_path,
        error.rule,
        error.description,
        error.message,
        str(error),
        repr(error.value),
    )


def _crash(error: BaseException) -> tuple[str, str]:
    return ("crash", f"{type(error).__name__}: {error}")


def outcome(
    validators: ModuleType, models: ModuleType, name: str, model: str | None, instance: Any
) -> dict[str, Any]:
    """First error, every error, and (for a model schema) the from_dict/to_dict round trip."""
    result: dict[str, Any] = {}
    try:
        getattr(validators, f"validate_{name}")(instance)
        result["first"] = None
    except validators.ValidationError as error:
        result["first"] = error_fields(error)
    except Exception as error:  # a crash must crash the same way in both builds
        result["first"] = _crash(error)
    try:
        every = getattr(validators, f"iter_errors_{name}")(instance)
        result["every"] = [error_fields(error) for error in every]
    except Exception as error:
        result["every"] = _crash(error)
    if model is not None:
        model_class = getattr(models, model)
        try:
            decoded = model_class.from_dict(instance)
            encoded = decoded.to_dict()
            again = model_class.from_dict(encoded)
            result["round_trip"] = (encoded, again == decoded, encoded == instance)
            # The compiled models are native classes: built by their constructors only, yet
            # the same reprs, copies and pickles, and the same models without the validator.
            trusted = model_class.from_dict(instance, validate=False)
            copies = (
                copy.copy(decoded),
                copy.deepcopy(decoded),
                pickle.loads(pickle.dumps(decoded)),
            )
            result["model"] = (
                repr(decoded),
                trusted == decoded,
                [(type(one) is model_class, one == decoded) for one in copies],
            )
            # Whether the fused loader took the data itself, without the validator: a check
            # mypyc compiles differently (a cast from a wrong inferred type) would show here.
            loader = getattr(models, f"_load_{model}", None)
            if loader is not None:
                result["loaded"] = _accepts(loader, instance)
        except validators.ValidationError as error:
            result["round_trip"] = error_fields(error)
        except Exception as error:
            result["round_trip"] = _crash(error)
    return result


def _accepts(loader: Any, instance: Any) -> bool:
    try:
        loader(instance)
    except Exception:
        return False
    return True


def read_frame(stream: BinaryIO) -> bytes:
    """One length-prefixed frame; b'' at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return b""
    (size,) = _HEADER.unpack(header)
    return stream.read(size)


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    """Write one length-prefixed frame and flush it."""
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def main() -> int:
    """Serve requests until an empty frame; refuse to start unless the validators are compiled."""
    import graph_invite.models as models
    import graph_invite.validators as validators

    origin = validators.__file__ or ""
    for module in (validators, models):
        if not (module.__file__ or "").endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
            print(f"{module.__name__} is not compiled here: {module.__file__}", file=sys.stderr)
            return 2
    write_frame(sys.stdout.buffer, pickle.dumps(origin))
    while frame := read_frame(sys.stdin.buffer):
        name, model, instance = pickle.loads(frame)
        answer = outcome(validators, models, name, model, instance)
        write_frame(sys.stdout.buffer, pickle.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
