"""Benchmarks of the generated package and invitegen itself against their peers (`make bench`).

`python -m bench` times, in one process and interleaved, the compiled validators against
jsonschema, fastjsonschema and jsonschema-rs, the models against pydantic v2, then generation and
import time in fresh subprocesses, and writes `bench/results.json`. See `bench/README.md`.
"""
