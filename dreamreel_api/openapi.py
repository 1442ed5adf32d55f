"""`python -m dreamreel_api.openapi`: print the API's OpenAPI spec (the web client's types are
generated from it: `make client-types`)."""

import json

from dreamreel_api.deps import Stores
from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings


def spec() -> dict:
    return create_app(Settings(), stores=Stores(requests=None, media=None)).openapi()


if __name__ == "__main__":
    print(json.dumps(spec(), indent=2, sort_keys=True))
