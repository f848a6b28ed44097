"""`invitegen mock`: a mock service for any OpenAPI 3.x spec, with Microsoft Graph's rules as a layer.

`operations` reads the resolved spec into servable operations, `schemas` translates and compiles
their schemas, `routes` matches paths, `steps` checks a request in order, `synth` draws example
bodies, `service` ties them together; `plain` (any spec) and `graph` (+ `graph_state`,
`graph_permissions`) are the layers; `app` is the ASGI application and `server` serves it with
uvicorn. The rules are documented in README.md, "The mock".
May import: `generator.spec`, `generator.jsonschema`, `generator.emit.validators`, `generator.vocabulary`,
`generator.errors`; not the client generator's IR. Nothing in the pipeline imports `mock`.
"""
