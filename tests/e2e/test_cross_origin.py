"""The deployed shape in a real browser, on loopback: the built web app on its own origin (served as
Firebase Hosting serves it, with the `dreamreel.json` that `dreamreel hosting-config` writes), the
API with Firebase sign-in on the GPU server, opened by `dreamreel tunnel` (the fake ngrok agent
forwards a loopback port) which publishes its address in Firestore (emulator).

The browser cannot reach Google: the test answers the few Google REST calls the page makes from
what the emulators and the tests hold: Firestore's REST read of `public/api` (from the emulator's
document) and Firebase Auth's sign-in (with the unsigned tokens the API tests mint, which the API
accepts with FIREBASE_AUTH_EMULATOR_HOST set). Everything between the page and the API is real:
CORS preflights, bearer tokens, cross-origin video and subtitles.

A page on an origin the API was not told about is refused by the browser's CORS check.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from api.api_support import mint_token
from conftest import ffprobe
from dreamreel_assets import serve
from emulators import PROJECT, emulator_app
from test_definitions import free_port
from test_browser import browser, shots  # noqa: F401 (the browser and screenshot fixtures)
from test_tunnel import TOKEN, URL_LINE, Lines

REPO = Path(__file__).resolve().parents[2]
WEB_API_KEY = "demo-web-api-key"
PREVIEW_SECONDS = 20
THEME = "A lighthouse keeper teaches a seagull to read the tides"


class HostingHandler(SimpleHTTPRequestHandler):
    """Static files, and index.html for any other path (firebase.json's rewrite)."""

    def log_message(self, format, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if not path.exists():
            self.path = "/index.html"
        return super().send_head()


def host(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), partial(HostingHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, firestore_emulator):
    root = tmp_path_factory.mktemp("deployed")
    site = root / "site"
    shutil.copytree(serve.DEFAULT_CLIENT, site)
    written = subprocess.run(
        [sys.executable, "-m", "dreamreel_assets.cli", "hosting-config", "--client", str(site)], cwd=REPO,
        env={**os.environ, "DREAMREEL_FIREBASE_PROJECT": PROJECT, "DREAMREEL_FIREBASE_WEB_API_KEY": WEB_API_KEY},
        capture_output=True, text=True, timeout=60,
    )
    assert written.returncode == 0, written.stderr
    hosting, web_origin = host(site)
    elsewhere_site = root / "elsewhere"
    elsewhere_site.mkdir()
    (elsewhere_site / "index.html").write_text("<!doctype html><title>Another site</title>")
    elsewhere, other_origin = host(elsewhere_site)

    stack = serve.Stack(data_dir=root / "data", dagster_home=root / "dagster", client_dir=serve.DEFAULT_CLIENT,
                        api_port=free_port(), dagster_port=free_port())
    api_env = {
        "DREAMREEL_API_AUTH": "firebase", "DREAMREEL_FIREBASE_PROJECT": PROJECT,
        "DREAMREEL_FIREBASE_WEB_API_KEY": WEB_API_KEY, "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099",
        "DREAMREEL_API_CORS_ORIGINS": web_origin, "DREAMREEL_API_PREVIEW_SECONDS": str(PREVIEW_SECONDS),
    }
    saved = {name: os.environ.get(name) for name in api_env}
    os.environ.update(api_env)
    try:
        processes = serve.start(stack, quiet=True)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    tunnel = None
    try:
        serve.wait_until_up(stack, processes, timeout_s=180)
        agent = root / "ngrok"
        agent.write_text(f"#!/bin/sh\nexec {sys.executable} {REPO / 'tests' / 'fake_ngrok.py'} \"$@\"\n")
        agent.chmod(0o755)
        tunnel = subprocess.Popen(
            [sys.executable, "-m", "dreamreel_assets.cli", "tunnel", "--api", f"http://127.0.0.1:{stack.api_port}"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "NGROK_AUTHTOKEN": TOKEN, "DREAMREEL_NGROK_PATH": str(agent),
                 "DREAMREEL_FIREBASE_PROJECT": PROJECT},
        )
        api_url = Lines(tunnel).wait_for(URL_LINE).group(1)
        yield {"web": web_origin, "other": other_origin, "api": api_url, "stack": stack}
    finally:
        if tunnel is not None:
            os.killpg(tunnel.pid, signal.SIGINT)
            tunnel.wait(timeout=30)
        serve.stop(processes)
        hosting.shutdown()
        elsewhere.shutdown()


def published_document() -> dict:
    """`public/api` from the emulator, as Firestore's REST API would answer it."""
    from firebase_admin import firestore

    data = firestore.client(emulator_app()).collection("public").document("api").get().to_dict() or {}
    fields = {"online": {"booleanValue": bool(data.get("online"))},
              "url": {"stringValue": data["url"]} if data.get("url") else {"nullValue": None}}
    return {"name": f"projects/{PROJECT}/databases/(default)/documents/public/api", "fields": fields}


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def answer_google(route) -> None:
    """Firestore's REST read of the address document, and Firebase Auth's email sign-in."""
    request = route.request
    url = urlsplit(request.url)
    if url.hostname == "firestore.googleapis.com" and url.path.endswith("/documents/public/api"):
        route.fulfill(json=published_document(), headers={"Access-Control-Allow-Origin": "*"})
        return
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*"}
    if request.method == "OPTIONS":
        route.fulfill(status=204, headers=cors)
        return
    body = json.loads(request.post_data or "{}")
    if url.path.endswith("accounts:signInWithPassword"):
        uid = re.sub(r"[^a-z0-9]", "-", body["email"].lower())
        token = mint_token(uid)
        route.fulfill(headers=cors, json={
            "kind": "identitytoolkit#VerifyPasswordResponse", "localId": uid, "email": body["email"],
            "displayName": "", "idToken": token, "registered": True, "refreshToken": f"refresh-{uid}",
            "expiresIn": "3600"})
    elif url.path.endswith("accounts:lookup"):
        claims = _claims(body["idToken"])
        route.fulfill(headers=cors, json={"kind": "identitytoolkit#GetAccountInfoResponse", "users": [{
            "localId": claims["sub"], "email": f"{claims['sub']}@example.test", "emailVerified": True,
            "providerUserInfo": [], "validSince": str(claims["iat"]), "lastLoginAt": str(claims["iat"] * 1000),
            "createdAt": str(claims["iat"] * 1000)}]})
    else:
        route.fulfill(status=400, headers=cors, json={"error": {"code": 400, "message": "NOT_AVAILABLE_IN_TESTS"}})


def test_the_hosted_app_signs_in_and_makes_a_film_through_the_tunnel(deployed, browser, shots):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^https://(firestore|identitytoolkit|securetoken)\.googleapis\.com/"), answer_google)
    api_calls = []
    context.on("request", lambda request: api_calls.append(request.url) if "/api/" in request.url else None)
    page = context.new_page()
    page.goto(deployed["web"])

    # 1. The app found its API through the published address, and asks to sign in (Firebase).
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=30_000)
    page.get_by_label("Email").fill("ada@example.test")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("ada-example-test@example.test")).to_be_visible(timeout=30_000)

    # 2. The form, across origins: options and style pictures come from the API.
    page.get_by_role("radio", name=re.compile("Mystery")).click()
    page.get_by_label("Theme").fill(THEME)
    page.get_by_role("radio", name=re.compile("Noir")).click()
    page.wait_for_function("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    page.screenshot(path=shots / "cross-origin-1-form.png", full_page=True)
    page.get_by_role("button", name="Make my film").click()

    # 3. Progress, then the player: video and subtitles load from the API's origin.
    page.wait_for_url(re.compile(r"/films/[A-Za-z0-9_-]+$"))
    film_id = page.url.rsplit("/", 1)[1]
    page.locator(".shots img").first.wait_for(timeout=240_000)
    video = page.get_by_test_id("film-video")
    video.wait_for(timeout=300_000)
    page.wait_for_function("document.querySelector('[data-testid=film-video]').readyState >= 1", timeout=60_000)
    assert video.get_attribute("src").startswith(f"{deployed['api']}/api/films/{film_id}/video?")
    assert video.get_attribute("crossorigin") == "anonymous"
    duration = video.evaluate("v => v.duration")
    on_disk = float(ffprobe(deployed["stack"].data_dir / "films" / film_id / "cuts" / "1" / "film.mp4")["format"]["duration"])
    assert abs(duration - on_disk) < 0.25
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-testid=film-video]').textTracks[0];"
        " return t && t.cues && t.cues.length > 0 }", timeout=30_000)
    page.screenshot(path=shots / "cross-origin-2-player.png", full_page=True)

    api_origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in api_calls}
    assert api_origins == {deployed["api"]}, "every API call went through the tunnel"
    context.close()


def test_a_page_on_another_origin_is_refused_by_the_browser(deployed, browser):
    page = browser.new_page()
    page.goto(deployed["other"])
    outcome = page.evaluate(
        "url => fetch(url + '/api/options').then(r => 'answered ' + r.status, e => e.name)", deployed["api"])
    assert outcome == "TypeError", "the browser's CORS check refuses the API's answer to this page"
    allowed = page.evaluate("url => fetch(url + '/api/health', {mode: 'no-cors'}).then(r => r.type)", deployed["api"])
    assert allowed == "opaque", "the API answered; only the browser keeps the answer from the page"
    page.close()
