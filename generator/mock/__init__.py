"""`invitegen mock`: the spec-driven mock service (a tool beside the pipeline, used by tests and users).

`server` starts it, `http` handles HTTP, `exchange` answers one request from the spec, `routes`
matches paths, `responses`/`faults`/`schemas` build answers and injected failures.
May import: `generator.spec`, `generator.ir`, `generator.emit`, `generator.pipeline`; nothing in
the pipeline imports `mock`.
"""
