"""The Hypothesis strategy builder: a JSON Schema -> strategy source text that draws valid instances.

`builder` walks a schema, `merge` folds `allOf`, `scalars` writes strings/numbers/formats.
Used by `generator.emit.strategies`. Knows nothing about files or the client.
May import: `generator.errors`, `generator.names`, `generator.ir.schema`, `generator.vocabulary`,
`generator.jsonschema.ecma_regex` (patterns read as the validators read them).
"""
