"""No request ever yields a 500 or a stack trace: schemathesis sends generated requests, valid and
not, to every operation of the OpenAPI spec (over a store with a finished, shared film in it)."""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from dreamreel_api.main import create_app
from dreamreel_api.settings import Settings

DATA = Path(tempfile.mkdtemp(prefix="dreamreel-fuzz-"))
app = create_app(Settings(data_dir=DATA))
_film = app.state.stores.requests.submit(
    {"genre": "noir", "theme": "A detective who is a cat", "style": "noir", "minutes": 5}, user_id="local")
app.state.stores.requests.set_status(_film.id, "done", result={"video": "v"})
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_is_a_server_error(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text)
    if response.status_code >= 400:  # every error is JSON a person can read
        assert "detail" in response.json() and "Traceback" not in response.text
