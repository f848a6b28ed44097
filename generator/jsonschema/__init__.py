"""The standalone JSON Schema compiler: a schema -> straight-line Python validator source.

Used by `invitegen compile-schema` / `generator.compile_schema` and by the validators emitter.
`compiler` walks the schema, `dispatch` maps keywords to `checks`/`containers`/`keywords`,
`writer` holds the code writer, `formats` and `runtime` the format checks copied into the output,
`resources` resolves references (documents, `$id`, anchors, registries) and knows each
subschema's dialect. Knows nothing about the IR (OpenAPI only as a dialect of JSON Schema).
May import: `generator.errors`, `generator.names`, `generator.vocabulary`.
"""
