"""Internationalized host names (IDNA 2008) for the `hostname`, `idn-hostname` and `idn-email`
formats, copied into compiled validators (`FORMAT_HELPERS`) from the marker line on.

U-labels follow RFC 5891 section 5.4 with RFC 5892's rules: NFC, no leading combining mark, no
`--` in positions 3-4, no hyphen at either end, code points of the letter/digit categories that
case folding and NFKC leave unchanged, the exceptions table, and the CONTEXTJ/CONTEXTO rules
(middle dot, Greek keraia, Hebrew geresh/gershayim, katakana middle dot, zero width joiners,
Arabic-Indic digits). Scripts are read from `unicodedata` character names (the standard library
has no script property). Not implemented: the bidi rule (RFC 5893) and the joining-type rule of
ZWNJ (a ZWNJ is allowed after a virama only). A-labels (`xn--`) must decode (Punycode) to a
valid U-label and encode back to themselves.
"""

from __future__ import annotations

import re
import unicodedata

# ---- copied into compiled validators: labels ----

_LDH_LABEL = re.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_IDNA_DISALLOWED = frozenset("\u0640\u07fa\u302e\u302f\u3031\u3032\u3033\u3034\u3035\u303b")
_IDNA_PVALID = frozenset("\u00df\u03c2\u06fd\u06fe\u0f0b\u3007")
_IDNA_CATEGORIES = frozenset({"Ll", "Lo", "Lm", "Mn", "Mc", "Nd"})
_JOINING_SCRIPTS = frozenset({"ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "MANDAIC", "MANICHAEAN"})


def _script_of(character: str) -> str:
    """First word of the character's Unicode name (GREEK, HEBREW, KATAKANA, CJK, ...)."""
    return unicodedata.name(character, "").partition(" ")[0]


def _joins(characters: str) -> bool:
    """Whether the first non-mark character is a letter of a joining script (Arabic, Syriac,
    N'Ko, Mongolian, ...): RFC 5892's Joining_Type test, approximated from character names."""
    for character in characters:
        if unicodedata.category(character) == "Mn":
            continue
        return _script_of(character) in _JOINING_SCRIPTS and character.isalpha()
    return False


def _zero_width(label: str, index: int) -> bool:
    """ZWJ / ZWNJ: after a virama (combining class 9); a ZWNJ also between joining letters."""
    before = label[index - 1] if index else ""
    if before and unicodedata.combining(before) == 9:
        return True
    if label[index] == "\u200d":
        return False
    return _joins(label[:index][::-1]) and _joins(label[index + 1 :])


def _middle_dot(label: str, index: int) -> bool:
    """MIDDLE DOT: between two l (Catalan)."""
    return 0 < index < len(label) - 1 and label[index - 1] == label[index + 1] == "l"


def _keraia(label: str, index: int) -> bool:
    """GREEK LOWER NUMERAL SIGN: followed by a Greek character."""
    return index + 1 < len(label) and _script_of(label[index + 1]) == "GREEK"


def _geresh(label: str, index: int) -> bool:
    """HEBREW GERESH / GERSHAYIM: after a Hebrew character."""
    return index > 0 and _script_of(label[index - 1]) == "HEBREW"


def _katakana_dot(label: str, index: int) -> bool:
    """KATAKANA MIDDLE DOT: the label also holds Hiragana, Katakana or Han."""
    scripts = {_script_of(other) for other in label if other != "\u30fb"}
    return bool(scripts & {"HIRAGANA", "KATAKANA", "CJK"})


# RFC 5892 appendix A: CONTEXTJ / CONTEXTO code points and their rule.
_IDNA_CONTEXT = {
    "\u200c": _zero_width,
    "\u200d": _zero_width,
    "\u00b7": _middle_dot,
    "\u0375": _keraia,
    "\u05f3": _geresh,
    "\u05f4": _geresh,
    "\u30fb": _katakana_dot,
}


def _idna_allowed(label: str, index: int) -> bool:
    """Whether the code point at `index` may stand there (PVALID, or CONTEXT and its rule)."""
    character = label[index]
    if character in _IDNA_CONTEXT:
        return _IDNA_CONTEXT[character](label, index)
    if character in _IDNA_DISALLOWED:
        return False
    if character == "-" or character in _IDNA_PVALID:
        return True
    stable = unicodedata.normalize("NFKC", character.casefold()) == character
    return stable and unicodedata.category(character) in _IDNA_CATEGORIES


def _is_u_label(label: str) -> bool:
    """Whether a label is a valid IDNA 2008 U-label (or an all-LDH one)."""
    if not label:
        return False
    shape = (
        unicodedata.normalize("NFC", label) == label
        and label[0] != "-"
        and label[-1] != "-"
        and label[2:4] != "--"
        and not unicodedata.category(label[0]).startswith("M")
    )
    arabic = any("\u0660" <= character <= "\u0669" for character in label)
    mixed = arabic and any("\u06f0" <= character <= "\u06f9" for character in label)
    return shape and not mixed and all(_idna_allowed(label, index) for index in range(len(label)))


def _is_a_label(label: str) -> bool:
    """An `xn--` label that decodes to a valid U-label and encodes back to itself."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    if decoded.isascii() or not _is_u_label(decoded):
        return False
    return "xn--" + decoded.encode("punycode").decode("ascii") == label.lower()


# ---- copied into compiled validators: hostname ----


def _is_hostname(text: str) -> bool:
    """RFC 1123 host name (labels of 1-63 letters, digits, inner hyphens; 253 characters at
    most); a label starting `xn--` must be a valid IDNA A-label (RFC 5890)."""
    if not text or len(text) > 253 or not text.isascii():
        return False
    for label in text.split("."):
        if _LDH_LABEL.fullmatch(label) is None:
            return False
        if label[:4].lower() == "xn--" and not _is_a_label(label):
            return False
    return True


# ---- copied into compiled validators: idn-hostname ----

_LABEL_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")
# RFC 5893 bidi classes: what a right-to-left / left-to-right label may hold.
_RTL_ALLOWED = frozenset({"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})
_LTR_ALLOWED = frozenset({"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})


def _bidi_label_ok(label: str) -> bool:
    """RFC 5893 section 2 for one label of a domain name that holds right-to-left text."""
    classes = [unicodedata.bidirectional(character) for character in label]
    if classes[0] not in ("L", "R", "AL"):
        return False
    last = next((kind for kind in reversed(classes) if kind != "NSM"), "")
    if classes[0] == "L":
        return set(classes) <= _LTR_ALLOWED and last in ("L", "EN")
    return (
        set(classes) <= _RTL_ALLOWED
        and last in ("R", "AL", "EN", "AN")
        and not ("EN" in classes and "AN" in classes)
    )


def _idn_label(label: str) -> tuple[str, int] | None:
    """A label's Unicode form and its length as an A-label; None when it is invalid."""
    if not label.isascii():
        encoded = "xn--" + label.encode("punycode").decode("ascii")
        valid = _is_u_label(label) and len(encoded) <= 63
        return (label, len(encoded)) if valid else None
    if _LDH_LABEL.fullmatch(label) is None:
        return None
    if label[:4].lower() != "xn--":
        return label, len(label)
    if not _is_a_label(label):
        return None
    return label[4:].encode("ascii").decode("punycode"), len(label)


def _is_idn_hostname(text: str) -> bool:
    """RFC 5890 internationalized host name: A-labels, U-labels or LDH labels, with the bidi
    rule (RFC 5893) when any label holds right-to-left text."""
    parts = [_idn_label(label) for label in _LABEL_SEPARATORS.split(text)] if text else [None]
    labels = [part for part in parts if part is not None]
    if len(labels) != len(parts):
        return False
    forms = [label for label, _ in labels]
    size = sum(length + 1 for _, length in labels) - 1
    rtl = any(
        unicodedata.bidirectional(character) in ("R", "AL", "AN")
        for label in forms
        for character in label
    )
    return size <= 253 and not (rtl and not all(map(_bidi_label_ok, forms)))


# ---- end of the copied part ----


def runtime_source(section: str) -> str:
    """One copied section of this module (`labels`, `hostname`, `idn-hostname`)."""
    with open(__file__, encoding="utf-8") as source:
        text = source.read()
    start = text.index("\n", text.index(f"# ---- copied into compiled validators: {section} ")) + 1
    end = min(
        position
        for position in (text.find("# ---- copied", start), text.find("# ---- end of", start))
        if position >= 0
    )
    return text[start:end].strip("\n")
