"""`invitegen diff`: two specs -> the API changes, breaking first (a tool beside the pipeline).

`compare` is the entry point (`diff_specs`, `diff_paths`, `version_gate`); `source` loads files and
`git:REV:path`; `operations`, `access`, `bodies`, `schema`, `schema_view` compare; `rules` is the rule
table; `report` renders text/Markdown/JSON; `version` holds the semver policy.
May import: `generator.spec`, `generator.errors`, `generator.output` (nothing imports `diff` but the CLI).
"""
