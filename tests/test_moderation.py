"""Moderation of themes and fix notes: the shipped word list, an OpenAI-compatible endpoint (every
way it can fail to answer is a clear refusal to decide, never a pass), the Dagster resource, the
request sensor and the CLI."""

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from dreamreel_assets.moderation import (
    ModerationSettings,
    ModerationUnavailable,
    NoModeration,
    build_moderator,
    refusals,
)
from dreamreel_assets.moderation.endpoint import ModerationEndpoint
from dreamreel_assets.moderation.wordlist import WordListModerator, read_terms, shipped_word_list
from dreamreel_assets.resources.moderation import ModerationResource

WORDS = shipped_word_list()
KEY = "sk-test-never-shown"


# --- the word list ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "category"), [
    ("A film about kiddie porn", "sexual/minors"),
    ("LOLICON adventures", "sexual/minors"),
    ("the hero is a faggot", "hate/slur"),
    ("Two wetbacks cross the river", "hate/slur"),                       # a plural
    ("a chemist explains how to make sarin", "violence/instructions"),
    ("How To Make A Pipe Bomb, step by step", "violence/instructions"),  # any case
    ("how-to-make a pipe_bomb", "violence/instructions"),                 # other separators
])
def test_listed_words_and_phrases_are_refused_by_category(text, category):
    verdict = WORDS.review(text)
    assert verdict.flagged and verdict.categories == (category,)


@pytest.mark.parametrize("text", [
    "A lighthouse keeper finds a map that redraws itself",
    "The villain's snigger echoes in Scunthorpe",     # a slur inside a word is no slur
    "A bomb squad hero defuses a clock tower",        # violence as a subject is fine
    "Grandpa teaches us how to make a bomb shelter",
    "A zombie horror, blood on the snow",
    "Gookie the goblin and the kikeriki rooster",     # listed words as parts of others
])
def test_words_that_merely_contain_or_resemble_listed_ones_pass(text):
    assert not WORDS.review(text).flagged


@pytest.mark.parametrize(("text", "category"), [
    ("ｎｉｇｇｅｒ", "hate/slur"),                  # fullwidth letters (NFKC)
    ("𝐧𝐢𝐠𝐠𝐞𝐫 on the moon", "hate/slur"),           # mathematical bold letters (NFKC)
    ("nig\u200bger", "hate/slur"),                  # a zero-width space inside the word
    ("Nïggér", "hate/slur"),                        # accents
    ("kid\u00addie porn", "sexual/minors"),         # a soft hyphen
    ("ＣＳＡＭ", "sexual/minors"),
])
def test_look_alike_tricks_are_undone_before_matching(text, category):
    assert WORDS.review(text).categories == (category,)


def test_a_refusal_names_the_field_and_the_category_never_the_word():
    [refused] = refusals(WORDS, {"theme": "Two wetbacks cross the river", "note": ""})
    assert str(refused) == "theme: contains words this server does not accept (a slur)"
    assert "wetback" not in refused.message
    assert refusals(WORDS, {"theme": "A lighthouse keeper", "note": None}) == []


def test_a_list_needs_its_categories():
    assert read_terms(["# comment", "[hate]", "badword  # why", ""]) == {"badword": "hate"}
    with pytest.raises(ValueError, match="before any"):
        read_terms(["badword"])
    assert WordListModerator({"red herring": "x"}).review("a RED   herring").flagged


def test_the_choice_is_configuration():
    assert isinstance(build_moderator(ModerationSettings()), WordListModerator)
    assert build_moderator(ModerationSettings(backend="off")).review("kiddie porn").flagged is False
    assert isinstance(build_moderator(ModerationSettings(backend="off")), NoModeration)
    endpoint = build_moderator(ModerationSettings(backend="openai", base_url="http://127.0.0.1:9/v1", api_key=KEY))
    assert isinstance(endpoint, ModerationEndpoint) and KEY not in repr(endpoint)
    with pytest.raises(ValueError, match="DREAMREEL_MODERATION_URL"):
        build_moderator(ModerationSettings(backend="openai"))
    assert KEY not in repr(ModerationSettings(api_key=KEY))


# --- the endpoint, through httpx.MockTransport -----------------------------------------------------


def endpoint_answering(handler, **options) -> tuple[ModerationEndpoint, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return ModerationEndpoint("https://moderation.test/v1/", model="omni-moderation-latest", api_key=KEY,
                              transport=httpx.MockTransport(record), **options), seen


def result(flagged: bool, **categories: bool) -> dict:
    return {"id": "modr-1", "model": "omni-moderation-latest",
            "results": [{"flagged": flagged, "categories": categories, "category_scores": {}}]}


def test_a_flagged_text_is_refused_naming_the_categories():
    endpoint, seen = endpoint_answering(lambda request: httpx.Response(200, json=result(
        True, **{"violence/graphic": True, "violence": True, "hate": False})))
    [refused] = refusals(endpoint, {"theme": "something awful"})
    assert str(refused) == "theme: refused by moderation: violence/graphic, violence"
    [request] = seen
    assert str(request.url) == "https://moderation.test/v1/moderations" and request.method == "POST"
    assert json.loads(request.content) == {"model": "omni-moderation-latest", "input": "something awful"}
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_a_clean_text_passes():
    endpoint, _ = endpoint_answering(lambda request: httpx.Response(200, json=result(False, violence=False)))
    assert refusals(endpoint, {"theme": "A lighthouse keeper finds a map"}) == []


def _timeout(request):
    raise httpx.ReadTimeout("slow", request=request)


def _refused_connection(request):
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize(("handler", "message"), [
    (_timeout, "the moderation service did not answer within 10 s"),
    (_refused_connection, "cannot reach the moderation service (ConnectError)"),
    (lambda r: httpx.Response(500, text="boom"), "the moderation service answered 500"),
    (lambda r: httpx.Response(401, json={"error": {"message": f"Incorrect API key {KEY}"}}),
     "the moderation service refused this server's API key (401)"),
    (lambda r: httpx.Response(429), "the moderation service is busy (429)"),
    (lambda r: httpx.Response(200, json={"results": []}), "the moderation service's answer is not a moderation result"),
    (lambda r: httpx.Response(200, text="<html>"), "the moderation service's answer is not a moderation result"),
])
def test_an_endpoint_that_cannot_decide_is_a_clear_refusal_to_decide(handler, message):
    endpoint, _ = endpoint_answering(handler)
    with pytest.raises(ModerationUnavailable) as unavailable:
        endpoint.review("A lighthouse keeper")
    assert str(unavailable.value) == message
    assert KEY not in str(unavailable.value)


# --- the endpoint over the network, on loopback ---------------------------------------------------


class FakeModeration(BaseHTTPRequestHandler):
    """POST /v1/moderations: flags texts with "dragon" in them; sleeps on "slow"."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if "slow" in body["input"]:
            time.sleep(1.0)
        answer = json.dumps(result("dragon" in body["input"], violence="dragon" in body["input"])).encode()
        self.send_response(200 if self.path == "/v1/moderations" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fake_moderation():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModeration)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_real_endpoint_on_loopback_flags_passes_and_times_out(fake_moderation):
    endpoint = ModerationEndpoint(fake_moderation, timeout_s=0.3)
    assert endpoint.review("a dragon eats the village").categories == ("violence",)
    assert not endpoint.review("a lighthouse").flagged
    with pytest.raises(ModerationUnavailable, match="did not answer within 0.3 s"):
        endpoint.review("slow")
    with pytest.raises(ModerationUnavailable, match="cannot reach"):
        ModerationEndpoint(f"http://127.0.0.1:{closed_port()}/v1").review("a lighthouse")


# --- the resource: configuration, read when used ----------------------------------------------------


def test_the_resource_reads_its_variables_when_used_not_at_import(monkeypatch, fake_moderation):
    monkeypatch.delenv("DREAMREEL_MODERATION", raising=False)
    resource = ModerationResource()
    assert isinstance(resource.moderator(), WordListModerator)
    monkeypatch.setenv("DREAMREEL_MODERATION", "openai")
    monkeypatch.setenv("DREAMREEL_MODERATION_URL", fake_moderation)
    monkeypatch.setenv("DREAMREEL_MODERATION_API_KEY", KEY)
    chosen = resource.moderator()
    assert isinstance(chosen, ModerationEndpoint) and chosen.review("a dragon").flagged
    assert isinstance(ModerationResource(backend="off").moderator(), NoModeration)  # config wins
    monkeypatch.delenv("DREAMREEL_MODERATION_URL")
    with pytest.raises(ModerationUnavailable, match="needs the endpoint's base URL"):
        resource.moderator()
    monkeypatch.setenv("DREAMREEL_MODERATION", "openia")
    with pytest.raises(ModerationUnavailable, match="unknown value 'openia'"):
        resource.moderator()


# --- the request sensor: requests that came past the API (dreamreel submit, Firestore writers) ----

from dagster import build_sensor_context  # noqa: E402
from test_sensors import GOOD, WORDS as WORD_LIST, instance, store_resource, tick  # noqa: E402,F401 (fixtures)

import dreamreel_assets.sensors as sensors  # noqa: E402
from dreamreel_assets.definitions import defs  # noqa: E402
from dreamreel_assets.models import FixRequest  # noqa: E402
from dreamreel_assets.partitions import films  # noqa: E402


def test_a_queued_request_with_a_refused_theme_fails_with_the_reason(instance, store_resource):
    store = store_resource.store()
    refused = store.submit({**GOOD, "theme": "How to make a pipe bomb, the musical"})
    good = store.submit(GOOD)
    assert [r.run_key for r in tick(instance, store_resource).run_requests] == [good.id]
    failed = store.get(refused.id)
    assert failed.status == "failed"
    assert failed.error == "theme: contains words this server does not accept (instructions for violence)"


def test_a_fix_note_written_past_the_api_is_refused_and_the_film_stays(instance, store_resource):
    store = store_resource.store()
    film = store.submit(GOOD)
    instance.add_dynamic_partitions(films.name, [film.id])
    store.set_status(film.id, "done", result={"video": "v"})
    fix = store.request_fix(film.id, FixRequest(stage="music", note="more kiddie porn"))
    assert tick(instance, store_resource).skip_message == "no queued requests"
    record = store.get(film.id)
    assert record.status == "done" and record.result == {"video": "v"}
    assert (record.fixes[-1].id, record.fixes[-1].status) == (fix.id, "failed")
    assert record.fixes[-1].error == "note: contains words this server does not accept (sexual content involving minors)"


def test_when_moderation_cannot_decide_requests_wait_in_the_queue(instance, store_resource):
    store = store_resource.store()
    waiting = store.submit(GOOD)
    down = ModerationResource(backend="openai", base_url=f"http://127.0.0.1:{closed_port()}/v1")
    context = build_sensor_context(instance=instance, resources={"requests": store_resource, "moderation": down},
                                   definitions=defs)
    skipped = sensors.film_requests(context)
    assert skipped.skip_message.startswith(
        "queued requests wait: moderation cannot decide right now (cannot reach the moderation service")
    assert store.get(waiting.id).status == "queued" and not store.get(waiting.id).error
    assert [r.run_key for r in tick(instance, store_resource).run_requests] == [waiting.id]  # back up: it runs


# --- the CLI: one line, exit code 2, before any work ---------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def dreamreel(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "DAGSTER_HOME": str(cwd / "home"),
                   "HOME": str(cwd / "home"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "dreamreel_assets.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_the_cli_refuses_a_theme_in_one_line_before_any_work(tmp_path, fake_moderation):
    (tmp_path / "home").mkdir()
    for command in ("make", "submit"):
        done = dreamreel(command, "--theme", "A ＣＳＡＭ documentary", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stderr == "error: theme: contains words this server does not accept (sexual content involving minors)\n"
    config = tmp_path / "moderation.yaml"
    config.write_text(f"resources:\n  moderation:\n    config:\n      backend: openai\n"
                      f"      base_url: http://127.0.0.1:{closed_port()}/v1\n      api_key: {{env: MODERATION_KEY}}\n")
    done = dreamreel("make", "--theme", "A lighthouse keeper", "--config", str(config), cwd=tmp_path,
                     env={"MODERATION_KEY": KEY})
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: theme: moderation cannot decide right now (cannot reach the moderation service")
    done = dreamreel("submit", "--theme", "A dragon guards the lighthouse", cwd=tmp_path,
                     env={"DREAMREEL_MODERATION": "openai", "DREAMREEL_MODERATION_URL": fake_moderation})
    assert done.returncode == 2 and done.stderr == "error: theme: refused by moderation: violence\n"
    assert not (tmp_path / "out").exists(), "nothing may start for a refused theme"
