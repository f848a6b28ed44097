"""Rule tables outside schemas: property, operation (endpoints, parameters, bodies, responses,
security, webhooks, versioning) and generated-client rules -> (level, summary).

Ids and levels are oasdiff's wherever oasdiff has the rule; `rules` joins these tables with the
schema rules into the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.diff.levels import ERR, INFO, WARN, Level, Rule

PROPERTY_RULES: Mapping[str, tuple[Level, str]] = {
    "new-optional-request-property": (INFO, "optional request property added"),
    "new-required-request-property": (ERR, "required request property added"),
    "request-property-removed": (WARN, "request property removed"),
    "request-property-became-required": (ERR, "request property became required"),
    "request-property-became-optional": (INFO, "request property became optional"),
    "response-optional-property-added": (INFO, "optional response property added"),
    "response-required-property-added": (INFO, "required response property added"),
    "response-optional-property-removed": (WARN, "optional response property removed"),
    "response-required-property-removed": (ERR, "required response property removed"),
    "response-optional-write-only-property-removed": (INFO, "writeOnly property removed"),
    "response-required-write-only-property-removed": (INFO, "writeOnly property removed"),
    "response-property-became-optional": (ERR, "response property became optional"),
    "response-property-became-required": (INFO, "response property became required"),
    "new-required-request-property-with-default": (ERR, "required property with a default added"),
    "request-property-became-required-with-default": (
        ERR,
        "property with a default became required",
    ),
    "response-optional-write-only-property-added": (INFO, "optional writeOnly property added"),
    "response-required-write-only-property-added": (INFO, "required writeOnly property added"),
    "response-write-only-property-became-optional": (INFO, "writeOnly property became optional"),
    "response-write-only-property-became-required": (INFO, "writeOnly property became required"),
    "request-property-deprecated": (INFO, "request property deprecated"),
    "request-property-reactivated": (INFO, "request property no longer deprecated"),
    "response-property-deprecated": (INFO, "response property deprecated"),
    "response-property-reactivated": (INFO, "response property no longer deprecated"),
    "new-required-request-header-property": (
        ERR,
        "required property added to a header parameter's object",
    ),
    "request-header-property-became-required": (
        ERR,
        "property of a header parameter's object became required",
    ),
    "request-header-property-became-enum": (
        ERR,
        "property of a header parameter's object restricted to an enum",
    ),
    **{
        f"{direction}-{stem}": (level, f"{direction} {summary}")
        for direction in ("request", "response")
        for stem, (level, summary) in {
            "property-deprecated-with-sunset": (INFO, "property deprecated with an x-sunset date"),
            "property-deprecated-sunset-missing": (
                ERR,
                "property deprecated without the x-sunset the deprecation policy asks for",
            ),
            "property-deprecated-sunset-invalid": (
                ERR,
                "property deprecated with an x-sunset that is no date",
            ),
            "property-sunset-date-too-small": (
                ERR,
                "property deprecated with an x-sunset nearer than the policy allows",
            ),
            "property-stability-decreased": (ERR, "property x-stability-level decreased"),
            "property-stability-increased": (INFO, "property x-stability-level increased"),
        }.items()
    },
}

_MUTABILITY = {
    "became-read-only": "became readOnly",
    "became-not-read-only": "is no longer readOnly",
    "became-write-only": "became writeOnly",
    "became-not-write-only": "is no longer writeOnly",
}


def mutability_rules() -> Iterator[Rule]:
    """readOnly/writeOnly set or cleared on an optional or required property, each direction."""
    for direction in ("request", "response"):
        for requiredness in ("optional", "required"):
            for suffix, summary in _MUTABILITY.items():
                rule_id = f"{direction}-{requiredness}-property-{suffix}"
                breaks = rule_id == "response-required-property-became-not-write-only"
                yield Rule(rule_id, WARN if breaks else INFO, f"{requiredness} property {summary}")


OPERATION_RULES: Mapping[str, tuple[Level, str]] = {
    "endpoint-added": (INFO, "operation added"),
    "api-path-removed-without-deprecation": (ERR, "path removed without being deprecated first"),
    "api-path-removed-with-deprecation": (INFO, "deprecated path removed"),
    "api-removed-without-deprecation": (ERR, "operation removed without being deprecated first"),
    "api-removed-with-deprecation": (INFO, "deprecated operation removed"),
    "endpoint-deprecated": (INFO, "operation deprecated"),
    "endpoint-deprecated-with-sunset": (INFO, "operation deprecated with an x-sunset date"),
    "endpoint-reactivated": (INFO, "operation no longer deprecated"),
    "sunset-deleted": (ERR, "x-sunset removed from a deprecated operation"),
    "api-sunset-date-changed-too-small": (
        ERR,
        "x-sunset of a deprecated operation moved earlier, nearer than the policy allows",
    ),
    "api-operation-id-removed": (INFO, "operationId removed or changed"),
    "api-operation-id-added": (INFO, "operationId added"),
    "api-tag-added": (INFO, "tag added to an operation"),
    "api-tag-removed": (INFO, "tag removed from an operation"),
    "api-removed-before-sunset": (ERR, "deprecated operation removed before its x-sunset date"),
    "api-path-removed-before-sunset": (ERR, "deprecated path removed before its x-sunset date"),
    "api-deprecated-sunset-parse": (ERR, "operation deprecated with an x-sunset that is no date"),
    "api-deprecated-sunset-missing": (
        ERR,
        "operation deprecated without the x-sunset the deprecation policy asks for",
    ),
    "api-sunset-date-too-small": (
        ERR,
        "operation deprecated with an x-sunset nearer than the policy allows",
    ),
    "api-path-sunset-parse": (ERR, "deprecated operation removed; its x-sunset is no date"),
    "api-stability-decreased": (
        ERR,
        "x-stability-level decreased (stable -> beta -> alpha -> draft)",
    ),
    "api-stability-increased": (INFO, "x-stability-level increased"),
    "api-invalid-stability-level": (ERR, "x-stability-level is not draft, alpha, beta or stable"),
    "new-optional-request-parameter": (INFO, "optional parameter added"),
    "new-required-request-default-parameter-to-existing-path": (
        ERR,
        "required path-level parameter added to an existing path",
    ),
    "new-optional-request-default-parameter-to-existing-path": (
        INFO,
        "optional path-level parameter added to an existing path",
    ),
    "request-parameter-removed-before-sunset": (ERR, "parameter removed before its x-sunset date"),
    "new-required-request-parameter": (ERR, "required parameter added"),
    "new-request-path-parameter": (ERR, "path parameter added"),
    "request-parameter-removed": (WARN, "parameter removed"),
    "request-parameter-removed-with-deprecation": (INFO, "deprecated parameter removed"),
    "request-parameter-became-required": (ERR, "parameter became required"),
    "request-parameter-became-optional": (INFO, "parameter became optional"),
    "request-parameter-deprecated": (INFO, "parameter deprecated"),
    "request-parameter-reactivated": (INFO, "parameter no longer deprecated"),
    "request-parameter-deprecated-sunset-missing": (
        ERR,
        "parameter deprecated without the x-sunset the deprecation policy asks for",
    ),
    "request-parameter-sunset-date-too-small": (
        ERR,
        "parameter deprecated with an x-sunset nearer than the policy allows",
    ),
    "request-parameter-sunset-parse": (ERR, "x-sunset of a deprecated parameter is no date"),
    "request-parameter-sunset-deleted": (ERR, "x-sunset removed from a deprecated parameter"),
    "request-parameter-sunset-date-changed-too-small": (
        ERR,
        "x-sunset of a deprecated parameter moved earlier, nearer than the policy allows",
    ),
    "request-body-added-optional": (INFO, "optional request body added"),
    "request-body-added-required": (ERR, "required request body added"),
    "request-body-removed": (ERR, "request body removed"),
    "request-body-became-required": (ERR, "request body became required"),
    "request-body-became-optional": (INFO, "request body became optional"),
    "request-body-media-type-added": (INFO, "request media type added"),
    "request-body-media-type-removed": (ERR, "request media type removed"),
    "request-body-media-type-schema-added": (ERR, "schema added to a request media type"),
    "request-body-media-type-schema-removed": (INFO, "schema removed from a request media type"),
    "response-body-media-type-schema-added": (INFO, "schema added to a response media type"),
    "response-body-media-type-schema-removed": (WARN, "schema removed from a response media type"),
    "response-success-status-added": (INFO, "success (2xx) status added"),
    "response-non-success-status-added": (INFO, "non-success status added"),
    "response-success-status-removed": (ERR, "success (2xx) status removed"),
    "response-non-success-status-removed": (INFO, "non-success status removed"),
    "response-media-type-added": (INFO, "response media type added"),
    "response-media-type-removed": (ERR, "response media type removed"),
    "response-media-type-name-changed": (
        INFO,
        "response media type parameters changed (`application/json` -> `...; charset=utf-8`)",
    ),
    "response-media-type-name-generalized": (
        ERR,
        "response media type made more general (`application/problem+json` -> `application/json`)",
    ),
    "response-media-type-name-specialized": (
        INFO,
        "response media type made more specific (`application/json` -> `application/problem+json`)",
    ),
    "response-header-added": (INFO, "response header added"),
    "required-response-header-removed": (ERR, "required response header removed"),
    "optional-response-header-removed": (WARN, "optional response header removed"),
    "response-header-became-optional": (ERR, "response header became optional"),
    "api-security-added": (INFO, "operation security requirement added"),
    "api-security-removed": (INFO, "operation security requirement removed"),
    "api-security-scope-added": (INFO, "scope added to an operation security requirement"),
    "api-security-scope-removed": (INFO, "scope removed from an operation security requirement"),
    "api-global-security-added": (INFO, "global security requirement added"),
    "api-global-security-removed": (INFO, "global security requirement removed"),
    "api-global-security-scope-added": (INFO, "scope added to a global security requirement"),
    "api-global-security-scope-removed": (INFO, "scope removed from a global security requirement"),
    "api-server-added": (INFO, "server added (invitegen; oasdiff has no server rules)"),
    "api-server-removed": (WARN, "server removed (invitegen; oasdiff has no server rules)"),
    "api-version-changed": (INFO, "info.version changed (invitegen)"),
    "api-version-not-bumped": (INFO, "the API changed but info.version did not"),
    "api-version-decreased": (INFO, "info.version decreased"),
    "api-major-version-not-bumped": (INFO, "ERR changes without a major info.version bump"),
    "api-schema-removed": (INFO, "component schema removed"),
    "api-security-component-added": (INFO, "security scheme added"),
    "api-security-component-removed": (INFO, "security scheme removed"),
    "api-security-component-type-changed": (INFO, "security scheme type changed"),
    "api-security-component-oauth-url-changed": (INFO, "OAuth authorizationUrl changed"),
    "api-security-component-oauth-token-url-changed": (INFO, "OAuth tokenUrl changed"),
    "api-security-component-oauth-scope-added": (INFO, "OAuth scope added to a scheme"),
    "api-security-component-oauth-scope-removed": (INFO, "OAuth scope removed from a scheme"),
    "api-security-component-oauth-scope-changed": (INFO, "OAuth scope description changed"),
    "webhook-added": (INFO, "webhook added"),
    "webhook-removed": (ERR, "webhook removed"),
}

# The generated client breaks although the wire contract does not (or less than ERR).
CLIENT_RULES: Mapping[str, tuple[Level, str]] = {
    "client-method-renamed": (ERR, "operationId changed: the generated method is renamed"),
    "client-argument-renamed": (ERR, "path parameter renamed: the generated argument is renamed"),
    "client-argument-removed": (ERR, "parameter removed: the generated argument goes"),
    "client-attribute-removed": (ERR, "response property removed: the model attribute goes"),
}
