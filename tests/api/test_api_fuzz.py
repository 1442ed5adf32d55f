"""No request ever yields a 500 or a stack trace: schemathesis sends generated requests, valid and
not, to every operation of the OpenAPI spec (over a store with a finished, shared film in it)."""

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

import schemathesis
from hypothesis import HealthCheck, settings

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings

DATA = Path(tempfile.mkdtemp(prefix="dreamreel-fuzz-"))
app = create_app(Settings(data_dir=DATA))
_film = app.state.stores.requests.submit(
    {"genre": "noir", "theme": "A detective who is a cat", "style": "noir", "minutes": 5}, user_id="local")
app.state.stores.requests.set_status(_film.id, "done", result={"video": "v"})


async def on_loopback(scope, receive, send):
    """The app as a client on this machine reaches it: schemathesis sends `Host: testserver`, which
    local mode refuses (tests/api/test_api_guard.py tests that refusal)."""
    if scope["type"] == "http":
        scope = {**scope, "headers": [(name, b"127.0.0.1:8000" if name == b"host" else value)
                                      for name, value in scope["headers"]]}
    await app(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/openapi.json", on_loopback)
EXAMPLES = int(os.environ.get("DREAMREEL_FUZZ_EXAMPLES", "30"))
"""Generated requests per operation: 30 in the suite; bench/fuzz.py asks for more."""
SEEN: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def report():
    """With DREAMREEL_FUZZ_REPORT set, what was sent and answered, for bench/fuzz.py."""
    yield
    path = os.environ.get("DREAMREEL_FUZZ_REPORT")
    if path:
        Path(path).write_text(json.dumps(dict(SEEN)))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_is_a_server_error(case):
    response = case.call()
    SEEN["requests"] += 1
    SEEN[f"{response.status_code // 100}xx"] += 1
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text)
    if response.status_code >= 400:  # every error is JSON a person can read
        assert "detail" in response.json() and "Traceback" not in response.text
