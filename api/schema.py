"""How the OpenAPI schema (drf-spectacular) describes the token sign-in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made on the tokens page (user menu → API tokens): "
                "`Authorization: Bearer kpi_…`. It sees what its owner's pages show. "
                "Without it the API answers with the public data only."
            ),
        }
