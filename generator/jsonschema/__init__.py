"""The standalone JSON Schema compiler: a schema -> straight-line Python validator source.

Used by `invitegen compile-schema` / `generator.compile_schema` and by the validators emitter.
`compiler` walks the schema, `dispatch` maps keywords to `checks`/`containers`/`keywords`,
`writer` holds the code writer, `formats` and `runtime` the format checks copied into the output.
Knows nothing about OpenAPI or the IR.
May import: `generator.errors`, `generator.names`.
"""
