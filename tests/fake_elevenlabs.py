"""A stand-in for the ElevenLabs HTTP API on loopback, for the narrator's tests: the routes the SDK
calls, answered the way ElevenLabs answers them.

- POST /v1/text-to-speech/{voice_id}/with-timestamps: speech that eSpeak NG makes, as 16-bit PCM
  (`output_format=pcm_22050`), with each character's start and end time; sentences are timed from
  where eSpeak's audio for them starts and stops, characters spread evenly inside.
- GET /v1/voices: the account's voices.
- The `xi-api-key` header must be the key the fake was made with (401 `invalid_api_key`); an unknown
  voice is 404 `voice_not_found`; more requests at once than `concurrency` is 429
  `too_many_concurrent_requests`, as the real service does.
- `plan(...)` queues answers for the next requests: an HTTP error with ElevenLabs' detail body (and
  Retry-After), or a hang longer than the client waits.
It counts every speech request, the texts, and the most requests it ever had in flight at once.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np

from dreamreel_assets.backends.narrator.espeak import EspeakNarrator, split_sentences
from dreamreel_assets.models import Line

VOICES = {"JBFqnCBsd6RMkjVDRZzb": "George", "EXAVITQu4vr4xnSDxMaL": "Sarah", "pNInz6obpgDQGcFmaJgB": "Adam",
          "onwK4e9ZLuTAKqWW03F9": "Daniel", "XrExE9yKIg1WjnnlVkGX": "Matilda", "N2lVS1w4EtoT3dr4eOWO": "Callum",
          "jBpfuIE2acCO8z3wKNLl": "Gigi", "pqHfZKP75CvOlQylNhV4": "Bill"}
PRESET_OF = {"George": "narrator-warm", "Sarah": "female-bright", "Adam": "male-deep", "Daniel": "narrator-deep",
             "Matilda": "female-soft", "Callum": "male-gravelly", "Gigi": "child-light", "Bill": "elder-creaky"}


def speech_with_timestamps(text: str, voice_name: str) -> dict:
    spoken = EspeakNarrator().speak([Line(speaker="narrator", text=text)], {"narrator": PRESET_OF[voice_name]})
    starts, ends, position = [0.0] * len(text), [0.0] * len(text), 0
    previous_end = 0.0
    for sentence, cue in zip(split_sentences(text), spoken.cues):
        first = text.find(sentence, position)
        for gap_index in range(position, first):  # the spaces between sentences
            starts[gap_index], ends[gap_index] = previous_end, cue.start
        step = (cue.end - cue.start) / len(sentence)
        for offset in range(len(sentence)):
            starts[first + offset] = cue.start + offset * step
            ends[first + offset] = cue.start + (offset + 1) * step
        position, previous_end = first + len(sentence), cue.end
    pcm = (np.clip(spoken.samples, -1, 1) * 32767).astype("<i2").tobytes()
    alignment = {"characters": list(text), "character_start_times_seconds": [round(s, 3) for s in starts],
                 "character_end_times_seconds": [round(e, 3) for e in ends]}
    return {"audio_base64": base64.b64encode(pcm).decode(), "alignment": alignment, "normalized_alignment": alignment}


class FakeElevenLabs:
    def __init__(self, key: str = "fake-elevenlabs-key", concurrency: int = 2, delay_s: float = 0.05):
        self.key, self.concurrency, self.delay_s = key, concurrency, delay_s
        self.lock = threading.Lock()
        self.planned: list[dict] = []
        self.requests: list[dict] = []
        self.in_flight = self.most_in_flight = 0
        self.refused_for_concurrency = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def plan(self, *answers: dict) -> None:
        with self.lock:
            self.planned += answers

    @property
    def texts(self) -> list[str]:
        return [request["text"] for request in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args) -> None:
                pass

            def answer(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def refuse(self, status: int, code: str, message: str, headers: dict | None = None) -> None:
                self.answer(status, {"detail": {"status": code, "message": message}}, headers)

            def do_GET(self) -> None:
                if self.headers.get("xi-api-key") != fake.key:
                    return self.refuse(401, "invalid_api_key", "Invalid API key")
                if urlsplit(self.path).path == "/v1/voices":
                    return self.answer(200, {"voices": [
                        {"voice_id": voice_id, "name": name, "category": "premade", "labels": {"use_case": "narration"}}
                        for voice_id, name in VOICES.items()]})
                self.answer(404, {"detail": "Not Found"})

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                segments = parts.path.strip("/").split("/")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if len(segments) != 4 or segments[:2] != ["v1", "text-to-speech"] or segments[3] != "with-timestamps":
                    return self.answer(404, {"detail": "Not Found"})
                if self.headers.get("xi-api-key") != fake.key:
                    return self.refuse(401, "invalid_api_key", "Invalid API key")
                with fake.lock:
                    fake.requests.append({"voice_id": segments[2], "query": parse_qs(parts.query), **body})
                    busy = fake.in_flight >= fake.concurrency
                    planned = None
                    if busy:
                        fake.refused_for_concurrency += 1
                    else:
                        planned = fake.planned.pop(0) if fake.planned else None
                        fake.in_flight += 1
                        fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
                if busy:
                    return self.refuse(429, "too_many_concurrent_requests",
                                       f"Too many concurrent requests: the plan allows {fake.concurrency}")
                try:
                    self.speak(segments[2], body, planned)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

            def speak(self, voice_id: str, body: dict, planned: dict | None) -> None:
                time.sleep(fake.delay_s)
                if planned and "hang_s" in planned:
                    time.sleep(planned["hang_s"])
                    return self.answer(504, {"detail": "too late"})
                if planned:
                    headers = {"Retry-After": str(planned["retry_after"])} if "retry_after" in planned else None
                    return self.refuse(planned["status"], planned.get("code", ""), planned.get("message", ""), headers)
                if voice_id not in VOICES:
                    return self.refuse(404, "voice_not_found", f"A voice with voice_id {voice_id} was not found.")
                self.answer(200, speech_with_timestamps(body["text"], VOICES[voice_id]))

        return Handler
