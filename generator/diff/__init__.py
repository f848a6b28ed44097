"""`invitegen diff`: two OpenAPI 3.x specs -> the API changes, ERR first (a tool beside the pipeline).

`compare` is the entry point (`diff_specs`, `diff_paths`, `version_gate`); `source` loads files and
`git:REV:path`, and `shape` refuses mistyped keywords with located errors; `document`,
`operations`, `access`, `bodies`, `schema`, `schema_branches`, `schema_checks`, `schema_view`,
`media_types` (response media types renamed) and `lifecycle` (deprecation, sunset, stability)
compare; `rules` is the rule table (oasdiff's ids and levels; `levels`, `operation_rules`) and
`ruledoc` renders it as `docs/diff-rules.md`; `report` renders text/Markdown/JSON/YAML; `version` holds the semver policy.
May import: `generator.spec`, `generator.errors`, `generator.output`, `generator.vocabulary`
(nothing imports `diff` but the CLI).
"""
