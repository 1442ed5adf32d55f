"""End to end in a real browser: the whole local stack (`dreamreel serve`: the API with the built
client, `dagster dev` with the request sensor) on loopback, on embedded defaults, with every film a
20-second preview. Headless Debian Chromium, driven by Playwright, fills the form, follows the
progress page until the film is done, plays it, shares it and finds it in the gallery.

Screenshots of every page land in out/e2e/ (DREAMREEL_E2E_SCREENSHOTS to put them elsewhere).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import ffprobe
from dreamreel_assets import serve
from test_definitions import free_port

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PREVIEW_SECONDS = 20
THEME = "A paper boat sails down a flooded street to find the sea"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not (serve.DEFAULT_CLIENT / "index.html").is_file():
        pytest.fail("the web client is not built: `make client` (make test builds it)")
    root = tmp_path_factory.mktemp("stack")
    running = serve.Stack(data_dir=root / "data", dagster_home=root / "dagster", client_dir=serve.DEFAULT_CLIENT,
                          api_port=free_port(), dagster_port=free_port())
    os.environ["DREAMREEL_API_PREVIEW_SECONDS"] = str(PREVIEW_SECONDS)
    try:
        processes = serve.start(running, quiet=True)
    finally:
        del os.environ["DREAMREEL_API_PREVIEW_SECONDS"]
    try:
        serve.wait_until_up(running, processes, timeout_s=180)
        yield running
    finally:
        serve.stop(processes)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: `make test` installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("DREAMREEL_E2E_SCREENSHOTS") or REPO / "out" / "e2e")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_film_from_the_form_to_the_gallery(stack, browser, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(stack.app_url)

    # 1. The form: bad input is caught inline, then a good request goes out.
    page.get_by_role("radio", name=re.compile("Adventure")).click()
    theme = page.get_by_label("Theme")
    theme.fill("ab")
    theme.blur()
    expect(theme).to_have_attribute("aria-invalid", "true")
    theme.fill(THEME)
    expect(page.get_by_text(f"{len(THEME)} / 500")).to_be_visible()
    page.get_by_role("radio", name=re.compile("Claymation")).click()
    page.get_by_label("Length").select_option("5")
    page.wait_for_function("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    page.screenshot(path=shots / "1-new-film.png", full_page=True)
    page.get_by_role("button", name="Make my film").click()

    # 2. Progress, live: stages and keyframe thumbnails appear while the film is made.
    page.wait_for_url(re.compile(r"/films/[A-Za-z0-9_-]+$"))
    film_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("progress").first).to_be_visible(timeout=60_000)
    page.locator(".shots img").first.wait_for(timeout=240_000)
    page.screenshot(path=shots / "2-progress.png", full_page=True)

    # 3. The player: the film loads in the browser with the length ffprobe reads from its file.
    video = page.get_by_test_id("film-video")
    video.wait_for(timeout=300_000)
    page.wait_for_function("document.querySelector('[data-testid=film-video]').readyState >= 1", timeout=60_000)
    duration = video.evaluate("v => v.duration")
    on_disk = float(ffprobe(stack.data_dir / "films" / film_id / "cuts" / "1" / "film.mp4")["format"]["duration"])
    assert PREVIEW_SECONDS - 1 <= duration <= PREVIEW_SECONDS * 2.5
    assert abs(duration - on_disk) < 0.25
    assert page.locator("track[kind=subtitles]").count() == 1
    assert video.get_attribute("poster")
    expect(page.get_by_role("link", name="Download")).to_have_attribute("download", re.compile(r"\.mp4$"))
    page.screenshot(path=shots / "3-player.png", full_page=True)

    # 4. Shared, it shows in the gallery; my films list it.
    # The player shows as soon as the film is cut; the share switch once the run (and its checks) ends.
    share = page.get_by_role("switch", name="Share in the gallery")
    share.wait_for(timeout=120_000)
    expect(page.get_by_text("Being made")).to_have_count(0)
    share.click()  # checked once the API has answered
    expect(share).to_be_checked()
    page.goto(f"{stack.app_url}films")
    expect(page.locator(f"a[href$='/films/{film_id}']").first).to_be_visible()
    page.screenshot(path=shots / "4-my-films.png", full_page=True)
    page.goto(f"{stack.app_url}gallery")
    expect(page.locator(f"a[href$='/films/{film_id}']").first).to_be_visible(timeout=10_000)
    page.screenshot(path=shots / "5-gallery.png", full_page=True)


def test_the_form_works_on_a_phone_sized_screen_and_by_keyboard(stack, browser, shots):
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(stack.app_url)
    page.get_by_role("radio", name=re.compile("Comedy")).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name=re.compile("Drama"))).to_have_attribute("aria-checked", "true")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
    page.screenshot(path=shots / "6-phone-form.png", full_page=True)
