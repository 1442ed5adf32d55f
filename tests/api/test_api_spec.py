"""The web client's API types are generated from the API's OpenAPI spec: the committed copy must
be the spec the API serves today (regenerate both with `make client-types`)."""

import json
from pathlib import Path

from dreamreel_api.openapi import spec

CLIENT = Path(__file__).resolve().parents[2] / "client"


def test_the_clients_spec_is_the_apis_spec():
    committed = json.loads((CLIENT / "openapi.json").read_text())
    assert committed == spec(), "client/openapi.json is stale: run `make client-types`"


def test_every_route_the_client_calls_is_in_the_spec():
    paths = spec()["paths"]
    for path in ("/api/config", "/api/options", "/api/films", "/api/films/{film_id}",
                 "/api/films/{film_id}/share", "/api/films/{film_id}/fixes", "/api/gallery"):
        assert path in paths, path
    generated = (CLIENT / "src" / "api" / "schema.d.ts").read_text()
    assert '"/api/films/{film_id}/fixes"' in generated and "FixRecord" in generated
