"""OpenAPI and Swagger specs: loading with source positions, $ref resolution, validation."""
