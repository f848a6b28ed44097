"""JSON Schema keyword vocabularies: which keywords each dialect knows and where subschemas sit.

One table shared by the IR's portable-schema builder (`generator.ir.schema`) and the standalone
compiler (`generator.jsonschema`), so the two cannot drift. Dialects are named as the official
JSON-Schema-Test-Suite names its folders (`draft4` ... `draft2020-12`), plus the OpenAPI 3.0
Schema Object (`openapi3.0`) and OpenAPI 3.1 (`openapi3.1`, the 2020-12 vocabularies plus the
OpenAPI base vocabulary's annotations).
May import: nothing of this package (it is the bottom of the tree).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Where subschemas sit in a schema object, by the shape of the keyword's value.
SCHEMA_VALUES_2020 = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
SCHEMA_MAPS_2020 = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
SCHEMA_LISTS_2020 = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})

# Keywords that only describe (never change a verdict), in every dialect.
ANNOTATIONS = frozenset(
    {
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    }
)
# OpenAPI Schema Object keywords with no JSON Schema meaning (annotations to a validator).
OPENAPI_ANNOTATIONS = frozenset({"discriminator", "xml", "externalDocs", "example"})

_COMMON = frozenset(
    {
        "type",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "required",
        "minProperties",
        "maxProperties",
        "properties",
        "patternProperties",
        "additionalProperties",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    }
)
_DRAFT4 = _COMMON | {"additionalItems", "dependencies", "definitions"}
_DRAFT6 = _DRAFT4 | {"const", "contains", "propertyNames"}
_DRAFT7 = _DRAFT6 | {"if", "then", "else"}
_DRAFT2019 = (_DRAFT7 - {"dependencies"}) | {
    "$defs",
    "dependentRequired",
    "dependentSchemas",
    "minContains",
    "maxContains",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$recursiveRef",
}
_DRAFT2020 = (_DRAFT2019 - {"additionalItems", "$recursiveRef"}) | {"prefixItems", "$dynamicRef"}
_OPENAPI30 = (_COMMON - {"items"}) | {"items", "nullable"}


# Formats the IR keeps in the validated bundle: the compiler asserts each
# (`generator.jsonschema.formats.FORMATS`) and the strategy emitter draws each
# (`generator.strategies.scalars.FORMAT_STRATEGIES`); in generated code any other format describes.
ASSERTED_FORMATS = (
    "date",
    "date-time",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "regex",
    "time",
    "uri",
    "uri-reference",
    "uuid",
)
# Microsoft Graph's hosts, the global service and the national clouds: a document with a server on
# one of them gets the Graph layer (the generator's `ir.access.is_graph_spec`, the mock's layer).
GRAPH_HOSTS = frozenset(
    {
        "graph.microsoft.com",
        "graph.microsoft.us",
        "dod-graph.microsoft.us",
        "microsoftgraph.chinacloudapi.cn",
    }
)
# OpenAPI's own formats: annotations on types the IR already maps (int, float, str, bytes).
OPENAPI_FORMATS = ("int32", "int64", "float", "double", "byte", "binary", "password")


@dataclass(frozen=True)
class Dialect:
    """What one dialect means by a schema object."""

    name: str
    keywords: frozenset[str]  # keywords that can change a verdict (the others are annotations)
    id_keyword: str = "$id"  # `id` in draft 4
    ref_overrides: bool = False  # drafts <= 7 and OpenAPI 3.0: `$ref` siblings are ignored
    boolean_exclusives: bool = False  # draft 4 / OpenAPI 3.0: exclusiveMaximum: true
    nullable: bool = False  # OpenAPI 3.0: `nullable: true` adds null to `type`
    items_array: bool = False  # drafts <= 2019-09: `items` may be an array (with additionalItems)
    anchors: bool = False  # 2019-09+: `$anchor`; earlier drafts spell anchors `$id: "#name"`
    contains_annotations: bool = False  # 2020-12: `contains` marks items as evaluated
    format_assertion: bool = False  # a meta-schema names the 2020-12 format-assertion vocabulary

    def with_vocabularies(self, vocabularies: dict[str, bool]) -> Dialect:
        """The dialect with only the keywords of the vocabularies a `$vocabulary` names."""
        known = VOCABULARIES.get(self.name, {})
        keywords: set[str] = set()
        for uri in vocabularies:
            keywords |= known.get(uri, frozenset())
        assertion = "https://json-schema.org/draft/2020-12/vocab/format-assertion" in vocabularies
        return replace(
            self, keywords=frozenset(keywords) & self.keywords, format_assertion=assertion
        )

    def subschema_keywords(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """(one schema, map of schemas, list of schemas) keywords; `items` also holds lists
        where `items_array` says so, `dependencies` maps to schemas or to string lists."""
        values = SCHEMA_VALUES_2020 | {"additionalItems"}
        maps = SCHEMA_MAPS_2020 | {"definitions", "dependencies"}
        return values, maps, SCHEMA_LISTS_2020


DIALECTS: dict[str, Dialect] = {
    "draft4": Dialect(
        "draft4",
        _DRAFT4,
        id_keyword="id",
        ref_overrides=True,
        boolean_exclusives=True,
        items_array=True,
    ),
    "draft6": Dialect("draft6", _DRAFT6, ref_overrides=True, items_array=True),
    "draft7": Dialect("draft7", _DRAFT7, ref_overrides=True, items_array=True),
    "draft2019-09": Dialect("draft2019-09", _DRAFT2019, items_array=True, anchors=True),
    "draft2020-12": Dialect("draft2020-12", _DRAFT2020, anchors=True, contains_annotations=True),
    "openapi3.0": Dialect(
        "openapi3.0",
        _OPENAPI30,
        ref_overrides=True,
        boolean_exclusives=True,
        nullable=True,
    ),
    "openapi3.1": Dialect("openapi3.1", _DRAFT2020, anchors=True, contains_annotations=True),
}
DEFAULT_DIALECT = "draft2020-12"

_APPLICATOR = frozenset(
    {
        "prefixItems",
        "items",
        "additionalItems",
        "contains",
        "additionalProperties",
        "properties",
        "patternProperties",
        "dependentSchemas",
        "propertyNames",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    }
)
_VALIDATION = frozenset(
    {
        "type",
        "const",
        "enum",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
    }
)
_UNEVALUATED = frozenset({"unevaluatedItems", "unevaluatedProperties"})
# `$vocabulary` URIs -> the keywords each brings, per dialect (2019-09 and 2020-12 only).
VOCABULARIES: dict[str, dict[str, frozenset[str]]] = {
    "draft2019-09": {
        "https://json-schema.org/draft/2019-09/vocab/core": frozenset(
            {"$ref", "$recursiveRef", "$defs"}
        ),
        "https://json-schema.org/draft/2019-09/vocab/applicator": _APPLICATOR | _UNEVALUATED,
        "https://json-schema.org/draft/2019-09/vocab/validation": _VALIDATION,
        "https://json-schema.org/draft/2019-09/vocab/format": frozenset({"format"}),
        "https://json-schema.org/draft/2019-09/vocab/content": frozenset(),
        "https://json-schema.org/draft/2019-09/vocab/meta-data": frozenset(),
    },
    "draft2020-12": {
        "https://json-schema.org/draft/2020-12/vocab/core": frozenset(
            {"$ref", "$dynamicRef", "$defs"}
        ),
        "https://json-schema.org/draft/2020-12/vocab/applicator": _APPLICATOR,
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": _UNEVALUATED,
        "https://json-schema.org/draft/2020-12/vocab/validation": _VALIDATION,
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": frozenset({"format"}),
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": frozenset({"format"}),
        "https://json-schema.org/draft/2020-12/vocab/content": frozenset(),
        "https://json-schema.org/draft/2020-12/vocab/meta-data": frozenset(),
    },
}

# `$schema` values -> dialect name (with and without the empty fragment).
META_SCHEMAS: dict[str, str] = {}
for _uri, _name in (
    ("http://json-schema.org/draft-04/schema", "draft4"),
    ("http://json-schema.org/draft-06/schema", "draft6"),
    ("http://json-schema.org/draft-07/schema", "draft7"),
    ("https://json-schema.org/draft/2019-09/schema", "draft2019-09"),
    ("https://json-schema.org/draft/2020-12/schema", "draft2020-12"),
    ("https://spec.openapis.org/oas/3.1/dialect/base", "openapi3.1"),
    ("https://spec.openapis.org/oas/3.1/dialect/2024-10-25", "openapi3.1"),
):
    META_SCHEMAS[_uri] = META_SCHEMAS[_uri + "#"] = _name
    if _uri.startswith("http://"):  # the https spelling is common in the wild
        META_SCHEMAS["https" + _uri[4:]] = META_SCHEMAS["https" + _uri[4:] + "#"] = _name

# OpenAPI 3.1 keywords the portable bundle (`generated/schemas`, validators, strategies) refuses,
# each with the hint its error shows; `nullable` is OpenAPI 3.0's word (a boolean one is read
# before this, with a warning; only a malformed one is left to be refused here).
PORTABLE_REFUSED: dict[str, str] = {
    "nullable": "`nullable` is OpenAPI 3.0 and must be true or false",
    "$dynamicRef": "dynamic references are not supported",
    "definitions": "not a 2020-12 keyword; put shared schemas in components/schemas",
    "contentSchema": "not supported in portable schemas",
}
# Every keyword some JSON Schema dialect or OpenAPI gives a meaning to. A schema keyword outside
# this set is unknown: JSON Schema 2020-12 reads it as an annotation, and so does the IR (with a
# warning, and left out of the portable bundle) rather than refusing a document for it.
KNOWN_KEYWORDS = frozenset().union(
    *(dialect.keywords for dialect in DIALECTS.values()),
    ANNOTATIONS,
    OPENAPI_ANNOTATIONS,
    {"$schema", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary", "id"},
)
# Every keyword a portable schema may hold: OpenAPI 3.1's (2020-12) plus annotations, less the refused.
PORTABLE_KEYWORDS = (DIALECTS["openapi3.1"].keywords | ANNOTATIONS) - PORTABLE_REFUSED.keys()
# Where subschemas sit in a portable schema; every other keyword's value is data, kept as written.
PORTABLE_SCHEMA_MAPS = SCHEMA_MAPS_2020 & PORTABLE_KEYWORDS
PORTABLE_SCHEMA_LISTS = SCHEMA_LISTS_2020 & PORTABLE_KEYWORDS
PORTABLE_SCHEMA_VALUES = SCHEMA_VALUES_2020 & PORTABLE_KEYWORDS
PORTABLE_VALUES = PORTABLE_KEYWORDS - (
    PORTABLE_SCHEMA_MAPS | PORTABLE_SCHEMA_LISTS | PORTABLE_SCHEMA_VALUES | {"$ref"}
)
