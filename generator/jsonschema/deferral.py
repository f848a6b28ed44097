"""Deferred format checks: the boolean walk of array items queues strings, one regex call per
format checks them all.

A Python regex call costs about 125 ns before it reads a character: for a hundred recipients the
`email` calls alone cost as much as walking the whole document. The first-error variant checks
the first item of an array itself and the rest with `all(map(_is_valid_<item>, rest))`; there,
the boolean walk gets fresh queues, `pending[slot]` (one list per format), and appends each
string to its format's list instead of checking it. After the map, `_all_hold` joins each list
one string per line and matches `(?:FAST\n)*+` once (FAST: the format's fast path, which never
matches a newline; for email one within RFC 5321's limits at any length); a line it stops at
goes to the full helper and the batch goes on after it, so the verdict is exactly the helpers'.
If any item or string fails, every item goes through the first-error walk, which checks formats
in place: it reports the first error in schema order.

A string is only queued where its failure means the whole item fails: the boolean walk passes
`pending` on to what it applies in place (properties, items, allOf, `$ref`, then/else, ...) and
to the last branch of an `anyOf` (once reached, its verdict is the anyOf's), never to a verdict
it consumes (other `anyOf` branches, `oneOf`, `not`, `if`, `contains`): called without `pending`
(the default), a boolean function checks formats in place. Verdicts do not rest on that rule
(a failing queued string sends the items through the first-error walk whatever it came from);
it keeps valid instances off that road. The queues are local to one call of the first-error
function: no state is shared between calls or threads.
"""

from __future__ import annotations

from generator.jsonschema.formats import FORMATS
from generator.jsonschema.node import Node
from generator.jsonschema.runtime import Helper

# The parameter carrying the queues, and its annotation in emitted signatures.
PENDING = "pending"
PENDING_TYPE = "tuple[list[str], ...]"


DEFERRAL_HELPERS: dict[str, Helper] = {
    "_all_hold": Helper(
        '''
def _all_hold(texts: list[str], lines: re.Pattern[str], check: Callable[[str], bool]) -> bool:
    """Whether `check` accepts every text; `lines` (its fast path, once per line) decides most.

    The texts are joined one per line, so one regex call covers them all. A text holding a
    newline itself would blur the lines: then each is checked alone (`in` finds a newline with
    memchr, ten times as fast as counting them). A line the fast path stops at goes to `check`,
    and the batch goes on after it.
    """
    if "\\n" in "".join(texts):
        return all(map(check, texts))
    text = "\\n".join([*texts, ""])  # every text, newline included, makes a line
    if lines.fullmatch(text) is not None:  # the common case: every line takes the fast path
        return True
    start = 0
    while True:
        match = lines.match(text, start)
        if match is not None:
            start = match.end()
        if start == len(text):
            return True
        stop = text.index("\\n", start)
        if not check(text[start:stop]):
            return False
        start = stop + 1
''',
        imports=("re", "collections.abc:Callable"),
    ),
}


def emit_deferred_format(node: Node, name: str, condition: str, description: str) -> bool:
    """Emit `format: name` as "queue the string, or check it now"; False: it cannot be deferred."""
    check = FORMATS[name]
    if check.lines:
        node.compiler.deferrable_formats = True
    if not (check.lines and node.scope.defers):
        return False
    slot = node.compiler.format_slot(node.scope, name)
    node.scope.writer.line(f"if {PENDING} is not None:")
    node.scope.writer.line(f"    {PENDING}[{slot}].append({node.value})")
    # Called without `pending` (a verdict someone consumes): checked here, as ever.
    node.fail_if(condition, node.at("format"), "format", description, branch="elif")
    return True


def item_queues(node: Node, formats: set[str]) -> tuple[str, str, str]:
    """Queues for a first-error walk that maps a deferring boolean function over items.

    Returns the local variable, its assignment, and a condition true when a queued string of
    `formats` fails its check.
    """
    slots = node.compiler.format_slots()
    queues = node.scope.variable("queues")
    # Lists up to the last slot used: a slot below it that no call fills stays empty.
    size = 1 + max(slots.index(name) for name in formats)
    lists = "[]," if size == 1 else ", ".join(["[]"] * size)
    terms: list[str] = []
    for slot, name in enumerate(slots):
        if name in formats:
            check = FORMATS[name]
            queue = f"{queues}[{slot}]"
            all_hold = node.compiler.helper("_all_hold")
            lines, helper = node.compiler.helper(check.lines), node.compiler.helper(check.helper)
            terms.append(f"({queue} and not {all_hold}({queue}, {lines}, {helper}))")
    node.compiler.use_import("itertools:repeat")
    return queues, f"{queues}: {PENDING_TYPE} = ({lists})", " or ".join(terms)
