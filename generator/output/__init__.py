"""Stage 4, output: files dict -> header + black + cache + atomic write to disk.

`formatting` runs black (cached per definition, in worker processes when there are cores) on
text `layout` first prints in black's layout, so that one black pass suffices,
`writer` stages a complete tree and swaps it in atomically. Makes no decisions about content.
May import: `generator.errors`, `generator.names`.
"""
