//! HTTP server: JSON API with OpenAPI, server-rendered bilingual web UI, authentication and roles.
