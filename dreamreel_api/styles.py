"""Reference pictures for the style choices: one small keyframe per style, drawn by the embedded
painter on first request and kept in memory (a few tens of KB each, milliseconds to draw).

This is the API's one use of a backend: the painter is pure drawing code (no Dagster, no models).
"""

from __future__ import annotations

import io
import threading

from dreamreel_assets.catalog.styles import Style, styles
from dreamreel_assets.models import Script

SIZE = (384, 216)
_cache: dict[Style, bytes] = {}
"""By the style's entry: a style file that changes is drawn again."""
_lock = threading.Lock()


def _script(style: str) -> Script:
    people = [
        {"id": "mara", "name": "Mara", "role": "the traveller", "look": "a young woman in a red coat",
         "voice": "female-bright"},
        {"id": "fox", "name": "Fox", "role": "the guide", "look": "a small orange fox", "voice": "child-light"},
    ]
    shots = [{"id": f"sh{n}", "description": "Mara and the fox walk towards a lighthouse by the sea",
              "shot_type": "wide", "camera": "static", "characters": ["mara", "fox"]} for n in (1, 2, 3)]
    scenes = [{"index": i, "title": "The shore", "setting": "a lighthouse by the sea at sunset",
               "lines": [{"speaker": "narrator", "text": "They walked on."}], "shots": shots} for i in (1, 2, 3)]
    return Script.model_validate({
        "title": style, "logline": "A walk by the sea.", "genre": "adventure", "style": style,
        "mood": "heroic", "characters": people, "scenes": scenes,
    })


def style_png(style: str) -> bytes:
    """The PNG of `style` (a style of the catalog), drawn from its style file."""
    entry = styles().get(style)
    if entry is None:
        raise KeyError(style)
    with _lock:
        if entry not in _cache:
            from dreamreel_assets.backends.illustrator.painter import ProceduralPainter

            script = _script(style)
            scene = script.scenes[0]
            picture = ProceduralPainter().keyframe(script, scene, scene.shots[0], {}, SIZE, seed=1)
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG", optimize=True)
            _cache[entry] = buffer.getvalue()
        return _cache[entry]


def draw_all() -> None:
    for style in styles():
        style_png(style)
