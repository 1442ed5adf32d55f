"""Films in other languages: written by an LLM writer, spoken by eSpeak NG's voice for the
language (or ElevenLabs' multilingual models), subtitled and tagged in it; English-only writers
and models refuse in words."""

from __future__ import annotations

import itertools

import pytest
from elevenlabs import ElevenLabs

from conftest import cue_offsets, ffprobe, make_film
from dreamreel_assets.backends.assembler import read_wav
from dreamreel_assets.backends.narrator.elevenlabs import ElevenLabsError, ElevenLabsNarrator
from dreamreel_assets.backends.narrator.espeak import EspeakNarrator, espeak_voices, speakable_text
from dreamreel_assets.backends.writer.llm import build_messages, parse_script
from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.languages import LANGUAGES
from dreamreel_assets.models import FilmRequest, Line, Script
from dreamreel_assets.resources.backends import WriterResource
from fake_elevenlabs import FakeElevenLabs
from tiny_lm import FakeChatServer

REQUEST = FilmRequest(genre="mystery", theme="Eine Leuchtturmwärterin findet eine Karte, die sich neu zeichnet",
                      style="noir", minutes=5, preview_seconds=20, seed=3, language="de")
GERMAN = [
    "Der Leuchtturm stand seit hundert Jahren auf der Klippe.",
    "Jede Nacht drehte sich sein Licht über das dunkle Meer.",
    "Niemand im Dorf wusste, wer die Karte gezeichnet hatte.",
    "Am Morgen hatte sie sich wieder verändert.",
    "Wir müssen dem Weg folgen, bevor der Sturm kommt.",
    "Die Wellen schlugen gegen die alten Steine.",
    "Hörst du das? Jemand läutet die Glocke am Hafen.",
    "Die Wärterin stieg langsam die Treppe hinauf.",
    "Über dem Wasser erschien ein fremdes Schiff.",
    "Endlich verstand sie, wohin die Karte sie führen wollte.",
]


def german_script(request: FilmRequest) -> Script:
    """The script an LLM would write for the request: the template's English one, its titles and
    lines in German of about the same length, its image prompts left in English."""
    english = TemplateWriter().write(request.model_copy(update={"language": "en"}))
    words = itertools.cycle(" ".join(GERMAN).split())

    def german(count: int) -> str:
        text = " ".join(next(words) for _ in range(max(count, 3)))
        return text if text[-1] in ".?!" else text.rstrip(",") + "."

    scenes = [
        scene.model_copy(update={
            "title": f"Kapitel {scene.index}",
            "lines": [line.model_copy(update={"text": german(len(line.text.split()))}) for line in scene.lines],
        })
        for scene in english.scenes
    ]
    return english.model_copy(update={"title": "Die Karte der Wärterin", "logline": "Eine Karte zeichnet sich neu.",
                                      "language": "de", "scenes": scenes})


def test_the_template_writer_refuses_other_languages_in_words():
    with pytest.raises(ValueError, match="writes English only, not German"):
        TemplateWriter().write(REQUEST)


def test_the_llm_prompt_asks_for_the_language_and_the_script_carries_it():
    messages = build_messages(REQUEST)
    assert '"language": "German (de)"' in messages[1]["content"]
    assert "every line in the request's \"language\"" in messages[0]["content"]
    reply = german_script(REQUEST).model_copy(update={"language": "en"}).model_dump_json()
    assert parse_script(reply, REQUEST).language == "de"  # taken from the request, like the genre


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_has_its_own_espeak_voice_for_every_preset(code):
    narrator = EspeakNarrator()
    language = LANGUAGES[code]
    for preset, settings in espeak_voices().items():
        name = narrator.voice_name(preset, code)
        assert name.split("+")[0] == (settings.language if code == "en" else language.espeak), name


def test_espeak_keeps_the_letters_of_the_languages_script():
    assert speakable_text("Дом у моря. Tom.", "CYRILLIC") == "Дом у моря. Tom."
    assert speakable_text("Дом у моря.") == "."  # an English voice would spell the letters out
    scene = EspeakNarrator().speak([Line(speaker="narrator", text="Дом у моря стоял пустым.")],
                                   {"narrator": "narrator-warm"}, language="ru")
    assert scene.duration_s > 1 and len(scene.cues) == 1


@pytest.fixture
def fake_elevenlabs():
    server = FakeElevenLabs(concurrency=2)
    yield server
    server.close()


def test_elevenlabs_enforces_the_language_where_the_model_takes_it(fake_elevenlabs, tmp_path):
    client = ElevenLabs(api_key=fake_elevenlabs.key, base_url=fake_elevenlabs.url, timeout=10)
    lines = [Line(speaker="narrator", text=GERMAN[0])]
    for model, sent in [("eleven_multilingual_v2", None), ("eleven_flash_v2_5", "de")]:
        ElevenLabsNarrator(client, model_id=model, cache_dir=tmp_path).speak(lines, {}, language="de")
        assert fake_elevenlabs.requests[-1].get("language_code") == sent
    english_only = ElevenLabsNarrator(client, model_id="eleven_flash_v2", cache_dir=tmp_path)
    with pytest.raises(ElevenLabsError, match="speaks English only, not German: use eleven_multilingual_v2"):
        english_only.speak(lines, {}, language="de")


def test_a_german_film_on_the_llm_writer_is_spoken_and_subtitled_in_german(tmp_path, instance):
    script = german_script(REQUEST)
    with FakeChatServer(lambda body: script.model_dump_json()) as llm:
        writer = WriterResource(backend="openai", base_url=llm.base_url, model="local-llm", api_key="k")
        made = make_film(REQUEST, tmp_path, instance, writer=writer)
    assert made.result.success
    assert '"language": "German (de)"' in llm.requests[0].body["messages"][1]["content"]
    assert [e.check_name for e in made.result.get_asset_check_evaluations() if not e.passed] == []

    written = made.result.output_for_node("script")
    assert written.language == "de" and written.scenes[0].lines[0].text.startswith("Der Leuchtturm")
    [spoken] = made.result.asset_materializations_for_node("narration")
    assert spoken.metadata["language"].value == "de"

    probe = ffprobe(made.path(made.cut.video))
    [track] = [s for s in probe["streams"] if s["codec_type"] == "subtitle"]
    assert track["tags"]["language"] in ("ger", "deu")
    vtt = made.path(made.cut.subtitles).read_text(encoding="utf-8")
    assert "Leuchtturm" in vtt and "über" in vtt

    offsets = []
    for scene in made.result.output_for_node("narration").scenes:
        samples, rate = read_wav(made.path(scene.audio))
        offsets += cue_offsets(scene.cues, samples, rate)
    assert offsets and max(offsets) <= 0.1, offsets
