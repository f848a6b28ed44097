"""Stage 2, the intermediate representation: `ResolvedSpec` -> frozen dataclasses (`Api`, `Operation`,
`Model`, `Field`).

`model` holds the dataclasses, `build` turns a resolved spec into them, `schema` reads one schema
object (the keyword vocabulary). Produces no text.
May import: `generator.spec`, `generator.errors`, `generator.names`, `generator.version`,
`generator.vocabulary` (the keyword tables it shares with the compiler), `generator.jsonschema`
(only its ECMA-262 regex translation, to find the patterns validators could not check).
"""
