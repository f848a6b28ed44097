"""Stage 3, emitters: IR -> `dict[PurePosixPath, str]` of unformatted files, one module per output kind.

`client` (package modules through `templates/client/`, rendering the views of `model_views` and
`operation_views`, plus the spec-independent modules of `runtime/` and the opt-in mypyc build
hook of `packaging/`, copied verbatim), `schemas` (standalone JSON Schemas),
`validators` (compiled validators, through `generator.jsonschema`; the module frame is
`templates/validators/validators.py.jinja` rendering a `ValidatorModuleView`), `strategies` (Hypothesis
strategies, through `generator.strategies`). Emitters return text and never touch the disk.
May import: `generator.ir`, `generator.names`, `generator.errors`, and the libraries
`generator.jsonschema` and `generator.strategies`.
"""
