"""What moves in a shot, in words a video model reads: people, the world around them, the light.

Image-to-video models animate what their prompt says moves; a picture's description alone ("a
wide shot of Mira in the bakery") leaves them to guess, and they guess stillness or warping. Each
shot gets a motion description of one to three short sentences, well inside the text encoders'
limits (CogVideoX reads 226 T5 tokens, LTX-Video 128); the animators fit it to their model.
"""

from __future__ import annotations

import random

from dreamreel_assets.models import Mood, Shot

AMBIENT: dict[str, tuple[str, ...]] = {
    "heroic": ("Wind tugs at cloaks and banners", "Dust lifts and drifts across the ground",
               "Clouds race overhead, their shadows sweeping the land"),
    "playful": ("Leaves skitter past in little gusts", "Bunting flutters and sways",
                "Steam and crumbs float lazily through the air"),
    "tender": ("Curtains breathe softly in the draught", "Warm light flickers gently",
               "Dust motes drift slowly through a beam of light"),
    "wondrous": ("Glowing motes rise and swirl slowly", "Mist curls and unfurls around the edges",
                 "Lanterns sway and their light shimmers"),
    "dread": ("Fog creeps low along the ground", "A bare bulb sways, shadows stretching and shrinking",
              "Candle flames gutter and lean"),
    "suspense": ("Rain streaks down the glass", "A lamp's beam sweeps slowly through the dark",
                 "Shadows shift as something passes the light"),
    "warm": ("Steam curls up from cups", "Fairy lights twinkle softly", "Petals drift down on a light breeze"),
    "ethereal": ("Stars wheel slowly beyond the windows", "Holograms flicker and pulse softly",
                 "Particles drift weightlessly through the air"),
}

GESTURES: dict[str, tuple[str, ...]] = {
    "wide": ("{who} walk slowly through the scene", "{who} turn toward each other and gesture",
             "{who} move about, busy with their task"),
    "medium": ("{who} speak, hands moving as they talk", "{who} lean in, then glance up",
               "{who} shift their weight and nod"),
    "close-up": ("{who} blinks, eyes moving as a feeling crosses the face", "{who} breathes in slowly, then smiles faintly",
                 "{who} looks down, then up again"),
    "over-the-shoulder": ("{who} listens and answers with a small nod", "{who} speaks quietly, head tilting",
                          "{who} reaches out a hand"),
}


def shot_motion(shot: Shot, names: dict[str, str], mood: Mood, weather: str, seed: int) -> str:
    """One to three sentences of motion for the shot; the same shot and seed give the same words."""
    rng = random.Random(f"{seed}:{shot.id}:motion")
    sentences = []
    people = [names[c] for c in shot.characters if c in names]
    if shot.shot_type == "over-the-shoulder":
        people = people[-1:]  # the one facing the camera
    elif shot.shot_type == "close-up":
        people = people[:1]
    if people and shot.shot_type in GESTURES:
        who = " and ".join(people) if len(people) < 3 else ", ".join(people[:-1]) + " and " + people[-1]
        gesture = rng.choice(GESTURES[shot.shot_type]).format(who=who)
        if len(people) == 1 and shot.shot_type in ("wide", "medium"):
            gesture = _singular(gesture)
        sentences.append(gesture)
    sentences.append(rng.choice(AMBIENT[mood]))
    if weather and shot.shot_type in ("establishing", "wide"):
        sentences.append(f"{'Beyond' if shot.shot_type == 'establishing' else 'Around them'}: {weather}")
    return ". ".join(s for s in sentences if s) + "."


def _singular(gesture: str) -> str:
    """'walk slowly' -> 'walks slowly' for one person (the phrases are written for several)."""
    for plural, singular in (("walk ", "walks "), ("turn toward each other and gesture", "turns and gestures"),
                             ("move ", "moves "), ("speak,", "speaks,"), ("lean in, then glance", "leans in, then glances"),
                             ("shift their", "shifts their"), ("and nod", "and nods")):
        gesture = gesture.replace(plural, singular, 1)
    return gesture
