"""Stage 1, load + resolve: a spec path -> `ResolvedSpec` (data, JSON pointer -> file:line:col, sha256).

`loader` reads YAML/JSON with a located node for every value; `refs` follows `$ref`s (confined to the
spec's folder) and records where each came from. Knows nothing about Python or the output.
May import: `generator.errors` and `generator.vocabulary` (where subschemas sit, for `normalize`).
"""
