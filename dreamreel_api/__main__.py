"""`python -m dreamreel_api`: serve the API (settings from the environment; see settings.py)."""

import sys

from pydantic import ValidationError

from dreamreel_api.main import serve
from dreamreel_api.settings import Settings

if __name__ == "__main__":
    try:
        settings = Settings.from_env()
    except ValidationError as error:
        sys.exit(f"dreamreel_api: {error.errors()[0]['msg'].removeprefix('Value error, ')}")
    serve(settings)
