"""The embedded illustrator: a procedural painter of character sheets and keyframes.

No model, no GPU, no network: scenes are built from the words of the script (setting, shot
description, character looks) out of flat shapes, then finished in the film's style
(`styles.py`). A character's appearance comes from their `Character` alone, through a
`CharacterDesign`, so they look the same on their sheet and in every shot; the shot's seed only
moves the camera, the figures and the props.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dreamreel_assets.backends.illustrator import styles
from dreamreel_assets.models import Character, Scene, Script, Shot

RGB = tuple[int, int, int]


# --- small helpers ------------------------------------------------------------------------


def stable_int(*parts: object) -> int:
    """A seed from values, stable across processes (unlike `hash`)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def rng_for(*parts: object) -> np.random.Generator:
    return np.random.default_rng(stable_int(*parts))


PHRASES = {  # multi-word expressions, read as one word before splitting
    "first light": "dawn", "golden hour": "sunset", "blue hour": "dusk", "late night": "night",
    "dust storm": "haze", "sandstorm": "haze", "walking stick": "cane", "top hat": "tophat",
}


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words ("café" -> "cafe"), with known phrases folded into one word."""
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    for phrase, word in PHRASES.items():
        text = text.replace(phrase, word)
    return re.findall(r"[a-z]+", text)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def scaled(c: RGB, f: float | tuple[float, float, float]) -> RGB:
    fs = f if isinstance(f, tuple) else (f, f, f)
    return tuple(max(0, min(255, int(round(x * k)))) for x, k in zip(c, fs))  # type: ignore[return-value]


def saturated(c: RGB, amount: float) -> RGB:
    grey = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
    return tuple(max(0, min(255, int(round(grey + (x - grey) * amount)))) for x in c)  # type: ignore[return-value]


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0, n: int = 28):
    """A rotated ellipse as a polygon (PIL cannot rotate ellipses)."""
    ca, sa = math.cos(angle), math.sin(angle)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return pts


# --- character designs --------------------------------------------------------------------

COLOURS: dict[str, RGB] = {
    "red": (196, 48, 44), "crimson": (164, 26, 48), "scarlet": (214, 40, 36), "maroon": (118, 30, 42),
    "blue": (46, 96, 190), "navy": (32, 46, 100), "teal": (24, 138, 140), "turquoise": (40, 182, 172),
    "green": (52, 140, 72), "emerald": (22, 134, 86), "olive": (112, 118, 52),
    "yellow": (236, 198, 48), "gold": (214, 166, 44), "golden": (214, 166, 44),
    "blonde": (232, 202, 122), "blond": (232, 202, 122),
    "purple": (118, 60, 160), "violet": (140, 88, 204), "lavender": (172, 150, 212),
    "orange": (232, 120, 34), "ginger": (204, 98, 40), "auburn": (142, 58, 30), "copper": (186, 102, 52),
    "brown": (112, 72, 42), "chestnut": (128, 64, 36),
    "black": (34, 32, 38), "white": (238, 236, 230), "grey": (130, 130, 136), "gray": (130, 130, 136),
    "silver": (192, 196, 204), "pink": (236, 128, 164), "rose": (214, 96, 120),
}
HAIR_NOUNS = {"hair", "haired", "braid", "braids", "braided", "plait", "curls", "locks", "ponytail", "bun",
              "beard", "bearded", "moustache", "mustache", "pigtails", "mane", "mohawk"}
GARMENTS = {
    "coat": "coat", "jacket": "coat", "raincoat": "coat", "parka": "coat", "overcoat": "coat",
    "suit": "coat", "blazer": "coat", "trenchcoat": "coat",
    "dress": "dress", "gown": "dress", "frock": "dress",
    "robe": "robe", "robes": "robe", "kimono": "robe", "habit": "robe",
    "shirt": "shirt", "sweater": "shirt", "jumper": "shirt", "tunic": "shirt", "hoodie": "shirt",
    "blouse": "shirt", "cardigan": "shirt", "uniform": "shirt", "overalls": "shirt", "vest": "shirt",
    "armor": "shirt", "armour": "shirt", "spacesuit": "shirt", "apron": "shirt", "jersey": "shirt",
}
ITEMS = {  # look nouns that are worn or carried -> the item they draw as
    "scarf": "scarf", "hat": "hat", "cap": "cap", "beret": "cap", "beanie": "beanie", "hood": "hood",
    "hooded": "hood", "boots": "boots", "shoes": "boots", "gloves": "gloves", "trousers": "trousers",
    "pants": "trousers", "jeans": "trousers", "skirt": "trousers", "shorts": "trousers", "belt": "belt",
    "bag": "bag", "satchel": "bag", "backpack": "bag", "ribbon": "ribbon", "bow": "ribbon",
    "cloak": "cloak", "cape": "cloak", "shawl": "cloak", "umbrella": "umbrella", "lantern": "lantern",
    "lamp": "lantern", "torch": "lantern", "flashlight": "lantern", "helmet": "helmet", "crown": "crown",
    "tiara": "crown", "glasses": "glasses", "spectacles": "glasses", "goggles": "glasses",
    "monocle": "glasses", "staff": "staff", "wand": "staff", "cane": "cane", "stick": "cane",
    "sword": "sword", "blade": "sword", "book": "book", "journal": "book", "notebook": "book",
    "map": "book", "tie": "tie", "necklace": "necklace", "pendant": "necklace", "locket": "necklace",
    "flower": "flower", "rose": "flower", "camera": "camera", "eyes": "eyes", "eyed": "eyes",
    "beard": "beard", "bearded": "beard", "moustache": "beard", "mustache": "beard", "freckles": "freckles",
    "freckled": "freckles", "fur": "fur", "skin": "skin", "skinned": "skin", "wings": "wings", "wing": "wings",
    "tophat": "hat",
}
SPECIES = {
    "fox": "fox", "cat": "cat", "kitten": "cat", "dog": "dog", "puppy": "dog", "wolf": "wolf",
    "rabbit": "rabbit", "bunny": "rabbit", "hare": "rabbit", "bear": "bear", "mouse": "mouse",
    "robot": "robot", "android": "robot", "droid": "robot", "automaton": "robot", "dragon": "dragon",
    "dragonling": "dragon",
}
SPECIES_FUR: dict[str, RGB] = {
    "fox": (222, 116, 44), "cat": (120, 110, 104), "dog": (176, 130, 84), "wolf": (136, 136, 146),
    "rabbit": (232, 226, 216), "bear": (122, 84, 52), "mouse": (170, 160, 156), "robot": (176, 184, 196),
    "dragon": (90, 160, 90),
}
SKIN_TONES: tuple[RGB, ...] = (
    (255, 226, 200), (244, 198, 164), (226, 174, 132), (200, 142, 100), (164, 108, 74), (122, 80, 54),
    (92, 60, 42),
)
SKIN_WORDS = {"pale": 0, "fair": 0, "light": 1, "rosy": 1, "olive": 3, "tan": 3, "tanned": 3,
              "bronze": 3, "brown": 4, "dark": 5, "deep": 5, "ebony": 6, "black": 6}
HAIR_DEFAULTS: tuple[RGB, ...] = ((44, 32, 26), (92, 58, 34), (150, 98, 54), (214, 178, 108), (168, 72, 40),
                                  (24, 22, 28))
ELDER_HAIR: tuple[RGB, ...] = ((214, 214, 214), (170, 170, 174), (236, 234, 228))
OUTFIT_DEFAULTS: tuple[RGB, ...] = ((46, 96, 190), (196, 48, 44), (52, 140, 72), (118, 60, 160), (232, 120, 34),
                                    (24, 138, 140), (236, 198, 48), (214, 96, 120), (112, 72, 42), (32, 46, 100))
AGE_BODY = {  # height relative to an adult, head height as a fraction of the figure
    "child": (0.64, 0.205), "young": (0.95, 0.152), "adult": (1.0, 0.142), "elder": (0.95, 0.145),
}


@dataclass(frozen=True)
class CharacterDesign:
    """Everything that makes a character recognisable, derived from their `Character` only."""

    character_id: str
    species: str
    age: str
    skin: RGB
    hair: RGB
    outfit: RGB
    accent: RGB
    trousers: RGB
    eyes: RGB
    hair_style: str
    garment: str
    hat: str
    height: float
    build: float
    head_ratio: float
    items: frozenset[str]
    item_colours: tuple[tuple[str, RGB], ...] = ()

    def colour_of(self, item: str, default: RGB) -> RGB:
        return dict(self.item_colours).get(item, default)

    @property
    def human(self) -> bool:
        return self.species == "human"

    @property
    def palette(self) -> tuple[RGB, ...]:
        """The sheet's swatches: hair, skin, outfit, accent."""
        return (self.hair, self.skin, self.outfit, self.accent)


def _colour_targets(tokens: list[str]) -> tuple[dict[str, RGB], list[RGB]]:
    """Colour words paired with the noun they describe ("red scarf"), and the unpaired ones."""
    targets: dict[str, RGB] = {}
    free: list[RGB] = []
    for i, word in enumerate(tokens):
        colour = COLOURS.get(word)
        if colour is None:
            continue
        for noun in tokens[i + 1:i + 4]:
            slot = ("hair" if noun in HAIR_NOUNS else "outfit" if noun in GARMENTS
                    else "fur" if noun in SPECIES else ITEMS.get(noun))
            if slot == "skin":  # handled by _skin: "brown skin" is not a brown coat
                break
            if slot:
                targets.setdefault(slot, colour)
                break
        else:
            free.append(colour)
    return targets, free


FEMININE = {"woman", "girl", "she", "her", "mother", "queen", "princess", "grandmother", "aunt", "lady", "sister",
             "witch", "daughter", "wife", "mum", "mom", "granny"}
MASCULINE = {"man", "boy", "he", "his", "father", "king", "prince", "grandfather", "uncle", "gentleman",
             "brother", "wizard", "son", "husband", "dad", "grandpa"}


def _feminine(tokens: list[str], character: Character) -> bool | None:
    words = set(tokens)
    if words & FEMININE and not words & MASCULINE:
        return True
    if words & MASCULINE and not words & FEMININE:
        return False
    if character.voice.startswith(("female", "male")):
        return character.voice.startswith("female")
    return None


def _hair_style(tokens: list[str], character: Character, rng: np.random.Generator, species: str) -> str:
    text = " ".join(tokens)
    if species == "robot":
        return "none"
    if species != "human":
        return "tuft"
    for words, style in ((("braid", "braids", "braided", "plait", "pigtails"), "braid"),
                         (("bun",), "bun"), (("ponytail",), "ponytail"), (("bald", "shaved"), "bald"),
                         (("curly", "curls", "afro", "shaggy", "messy", "tousled"), "curly"), (("spiky",), "spiky"),
                         (("bob",), "bob"),
                         (("cropped", "buzz", "crew"), "short")):
        if any(w in tokens for w in words):
            return style
    if re.search(r"\blong(\s\w+){0,3}\s(hair|haired)", text):
        return "long"
    if re.search(r"\bshort(\s\w+){0,3}\s(hair|haired)", text):
        return "short"
    feminine = _feminine(tokens, character)
    if feminine or feminine is None and rng.random() < 0.5:
        return str(rng.choice(["long", "long", "bun", "ponytail", "braid"]))
    if character.age == "elder" and not HAIR_NOUNS & set(tokens):
        return str(rng.choice(["short", "bald", "curly"]))
    return str(rng.choice(["short", "short", "curly", "spiky"]))


def _hat(tokens: list[str]) -> str:
    if "crown" in tokens or "tiara" in tokens:
        return "crown"
    if "helmet" in tokens:
        return "helmet"
    if "tophat" in tokens:
        return "top"
    if "hat" in tokens:
        if {"wizard", "witch", "pointed", "pointy"} & set(tokens):
            return "pointed"
        return "chef" if "chef" in tokens else "brim"
    for word, hat in (("beanie", "beanie"), ("cap", "cap"), ("beret", "cap"), ("hood", "hood"),
                      ("hooded", "hood")):
        if word in tokens:
            return hat
    return ""


def _body(tokens: list[str], height: float, rng: np.random.Generator) -> tuple[float, float]:
    """Height (relative to an adult) and width of the figure."""
    words = set(tokens)
    short_hair = re.search(r"\bshort\s(\w+\s)?(hair|haired)", " ".join(tokens))
    if "tall" in words:
        height *= 1.06
    elif words & {"small", "tiny", "little"} or "short" in words and not short_hair:
        height *= 0.93
    if words & {"stout", "broad", "burly", "stocky", "plump", "chubby"}:
        return height, 1.18
    if words & {"thin", "slender", "lanky", "wiry", "slight"}:
        return height, 0.86
    return height, float(rng.uniform(0.94, 1.08))


def _skin(tokens: list[str], rng: np.random.Generator) -> RGB:
    """A skin tone named in the look ("pale", "dark-skinned", "brown skin"), else a stable pick."""
    for i, word in enumerate(tokens):
        if word in SKIN_WORDS and (word in ("pale", "fair") or
                                   {"skin", "skinned", "complexion"} & set(tokens[i + 1:i + 3])):
            return SKIN_TONES[SKIN_WORDS[word]]
    return SKIN_TONES[int(rng.integers(0, len(SKIN_TONES)))]


def design_for(character: Character) -> CharacterDesign:
    """The character's look, deterministically from id and look text (never from a shot seed)."""
    tokens = words_of(character.look.replace("-", " "))
    rng = rng_for("design", character.id, character.look)
    species = next((SPECIES[t] for t in tokens if t in SPECIES), "human")
    targets, free = _colour_targets(tokens)
    height, head_ratio = AGE_BODY[character.age]
    height, build = _body(tokens, height, rng)
    skin = _skin(tokens, rng) if species == "human" else targets.get("fur") or SPECIES_FUR[species]

    hair_defaults = ELDER_HAIR if character.age == "elder" else HAIR_DEFAULTS
    hair = targets.get("hair") or hair_defaults[int(rng.integers(0, len(hair_defaults)))]
    if species != "human":
        hair = targets.get("hair") or scaled(skin, 0.8)
    outfit = targets.get("outfit") or (free.pop(0) if free else
                                       OUTFIT_DEFAULTS[int(rng.integers(0, len(OUTFIT_DEFAULTS)))])
    accent_pool = [c for c in OUTFIT_DEFAULTS if sum((a - b) ** 2 for a, b in zip(c, outfit)) > 120 ** 2]
    accent = next((targets[k] for k in ("scarf", "hat", "cloak", "cap", "beanie", "hood", "ribbon", "bag")
                   if k in targets), None) or (free.pop(0) if free else
                                               accent_pool[int(rng.integers(0, len(accent_pool)))])
    trousers = targets.get("trousers") or mix(scaled(outfit, 0.45), (40, 44, 56), 0.6)
    eyes = targets.get("eyes") or ((70, 200, 240) if species == "robot" else
                                   ((60, 40, 26), (52, 90, 140), (56, 110, 70))[int(rng.integers(0, 3))])
    items = frozenset(ITEMS[t] for t in tokens if t in ITEMS) - {"eyes", "fur", "skin", "hat", "cap", "beanie"}
    garment = next((GARMENTS[t] for t in tokens if t in GARMENTS), "shirt")
    if garment == "shirt" and "cloak" not in items and _feminine(tokens, character) and rng.random() < 0.4:
        garment = "dress"
    return CharacterDesign(
        character_id=character.id, species=species, age=character.age, skin=skin, hair=hair,
        outfit=outfit, accent=accent, trousers=trousers, eyes=eyes,
        hair_style=_hair_style(tokens, character, rng, species), garment=garment, hat=_hat(tokens),
        height=height, build=build, head_ratio=head_ratio * (1.12 if species != "human" else 1.0),
        items=items, item_colours=tuple(sorted(targets.items())),
    )


def stranger_design() -> CharacterDesign:
    """An anonymous figure, for the foreground shoulder of a one-character over-the-shoulder."""
    return CharacterDesign("stranger", "human", "adult", (200, 150, 120), (40, 34, 30), (58, 60, 72),
                           (90, 80, 70), (40, 42, 50), (40, 30, 20), "short", "coat", "", 1.0, 1.05,
                           0.142, frozenset())


# --- scene descriptions -------------------------------------------------------------------

TIME_WORDS = {
    "dawn": "dawn", "sunrise": "dawn", "daybreak": "dawn",
    "morning": "morning", "breakfast": "morning",
    "noon": "noon", "midday": "noon", "afternoon": "noon", "day": "noon", "daylight": "noon",
    "sunny": "noon", "sunlit": "noon",
    "sunset": "sunset", "sundown": "sunset",
    "dusk": "dusk", "evening": "dusk", "twilight": "dusk",
    "night": "night", "midnight": "night", "nighttime": "night", "moonlit": "night",
    "moonlight": "night", "starlit": "night", "tonight": "night", "nightfall": "night", "moonrise": "night",
}
WEATHER_WORDS = {
    "storm": ("storm", "stormy", "thunder", "lightning", "tempest", "gale", "thunderstorm"),
    "rain": ("rain", "rainy", "raining", "drizzle", "downpour", "rainfall", "wet"),
    "snow": ("snow", "snowy", "snowing", "blizzard", "snowfall", "snowflakes", "snowstorm"),
    "fog": ("fog", "foggy", "mist", "misty", "haze", "hazy"),
}
PLACE_WORDS = {
    "sea": ("sea", "ocean", "coast", "coastal", "shore", "beach", "lighthouse", "harbor", "harbour", "pier",
            "waves", "bay", "boat", "ship", "island", "port", "dock", "seaside", "sail", "sailing", "cliff",
            "cliffs"),
    "city": ("city", "street", "streets", "town", "buildings", "alley", "market", "rooftop", "rooftops",
             "avenue", "square", "downtown", "skyline", "neon", "metropolis", "traffic"),
    "forest": ("forest", "woods", "wood", "trees", "tree", "grove", "jungle", "garden", "park", "orchard",
               "glade", "clearing", "thicket", "woodland"),
    "mountain": ("mountain", "mountains", "peak", "summit", "village", "valley", "alpine", "ridge", "canyon",
                 "slope", "gorge"),
    "landscape": ("hills", "hill", "fields", "field", "meadow", "countryside", "farm", "prairie", "plains",
                  "road", "path", "river", "riverside", "lake", "pond", "canal"),
    "desert": ("desert", "dunes", "dune", "sand", "sands", "oasis", "wasteland"),
    "space": ("space", "spaceship", "starship", "planet", "orbit", "orbital", "galaxy", "nebula", "asteroid",
              "cosmos", "rocket", "moonbase", "cockpit", "spacecraft", "ship", "hydroponics", "docking",
              "airlock", "viewport", "hull"),
    "interior": ("room", "kitchen", "library", "house", "hall", "inside", "interior", "study", "workshop",
                 "attic", "shop", "bedroom", "cabin", "tavern", "inn", "classroom", "office", "bakery",
                 "corridor", "cellar", "indoors", "parlour", "parlor", "museum", "lab", "laboratory",
                 "cafe", "chamber", "cottage", "apartment", "studio", "elevator", "hallway",
                 "archive", "bookshop", "stairwell", "greenhouse", "theatre", "theater", "church",
                 "hydroponics", "cockpit", "airlock"),
}
GENRE_PLACE = {"sci-fi": "space"}
"""A genre's own place wins ties and near-ties ("the generation ship" is not a sailing ship)."""
NOT_NOW = {"after", "before", "until", "no", "without", "past"}
"""Words that cancel the weather they precede: "a clear sky after the storm"."""
PROP_WORDS = {
    "lighthouse": "lighthouse", "boat": "boat", "ship": "boat", "sailboat": "boat", "sail": "boat",
    "house": "house", "cottage": "house", "hut": "house", "cabin": "house", "village": "house",
    "tower": "tower", "castle": "tower", "spire": "tower", "lamp": "lamp", "lantern": "lamp",
    "streetlamp": "lamp", "lamplight": "lamp", "fire": "fire", "campfire": "fire", "hearth": "fire",
    "fireplace": "fire", "candle": "candle", "candles": "candle", "library": "books", "book": "books",
    "books": "books", "bookshelf": "books", "shelves": "books", "table": "table", "desk": "table",
    "kitchen": "table", "window": "window", "clock": "clock", "flower": "flowers", "flowers": "flowers",
    "meadow": "flowers", "garden": "flowers", "rock": "rocks", "rocks": "rocks", "boulder": "rocks",
    "planet": "planet", "moon": "moon", "starship": "starship", "spaceship": "starship", "rocket": "starship",
    "spacecraft": "starship",
}
WALLS: dict[str, RGB] = {"library": (112, 74, 50), "kitchen": (226, 212, 178), "workshop": (150, 120, 92),
                         "cellar": (104, 96, 92), "lab": (196, 204, 210), "laboratory": (196, 204, 210),
                         "spaceship": (150, 160, 176), "cockpit": (120, 130, 148), "corridor": (150, 160, 176)}


@dataclass(frozen=True)
class SceneSpec:
    place: str
    """Outdoors: sea, city, forest, mountain, desert, space or landscape (also the view from
    the window when `indoor`)."""
    indoor: bool
    time: str
    weather: str
    props: frozenset[str]
    wall: RGB

    @property
    def dark(self) -> bool:
        return self.time == "night" or self.place == "space"


def _first_time(tokens: list[str]) -> str | None:
    return next((TIME_WORDS[t] for t in tokens if t in TIME_WORDS), None)


def _weather(tokens: list[str]) -> str:
    present = {t for i, t in enumerate(tokens) if not NOT_NOW & set(tokens[max(0, i - 2):i])}
    if "haze" in present and present & set(WEATHER_WORDS["storm"]):
        return "fog"  # a dust storm: no rain, no lightning
    return next((w for w, keys in WEATHER_WORDS.items() if set(keys) & present), "clear")


def scene_spec(script: Script, scene: Scene, shot: Shot | None) -> SceneSpec:
    """Place, time of day, weather and props, from the scene's setting and the shot's description.
    The setting's head (before any ";") names the place; what follows, usually a note on the look,
    counts as little as the description."""
    head, _, tail = scene.setting.partition(";")
    setting = words_of(head)
    described = words_of(tail) + (words_of(shot.description) if shot else [])
    tokens = setting + described
    default_time = {"dread": "dusk", "suspense": "dusk", "ethereal": "night", "warm": "sunset"}
    time = _first_time(setting) or _first_time(described) or default_time.get(script.mood, "morning")
    weather = _weather(tokens)
    scores = {place: 3 * sum(t in keys for t in setting) + sum(t in keys for t in described)
              for place, keys in PLACE_WORDS.items()}
    indoors = scores.pop("interior")
    indoor = indoors > 0 and indoors >= max(scores.values()) and not {"outside", "outdoors", "exterior"} & set(tokens)
    if script.genre in GENRE_PLACE:
        scores[GENRE_PLACE[script.genre]] += 2
    best = max(scores, key=lambda p: scores[p])
    place = best if scores[best] > 0 else "landscape"
    wall = next((WALLS[t] for t in tokens if t in WALLS), (204, 176, 142))
    if indoor and place == "space":
        wall = WALLS["spaceship"]
    props = frozenset(PROP_WORDS[t] for t in tokens if t in PROP_WORDS)
    if time == "night" and not indoor:
        props |= {"moon"}
    return SceneSpec(place, indoor, time, weather, props, wall)


# --- the canvas ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    x: float
    y: float
    radius: float
    colour: RGB
    strength: float


class Canvas:
    """An RGB picture plus a label map: each solid shape also gets its own label, so the style
    pass can find shape boundaries (outlines) and interiors (shading) without edge detection.
    `label=None` gives a shape a fresh label, an int reuses one, False leaves the map alone
    (for soft things: glows, rain, windows too small to outline)."""

    def __init__(self, size: tuple[int, int], roundness: float = 0.0, first_label: int = 0):
        self.width, self.height = size
        self.image = Image.new("RGB", size)
        self.labels = Image.new("L", size, 0)
        self._paint = ImageDraw.Draw(self.image, "RGBA")
        self._mark = ImageDraw.Draw(self.labels)
        self.last_label = first_label
        self.roundness = roundness
        self.lights: list[Light] = []

    @property
    def short(self) -> int:
        return min(self.width, self.height)

    def new_label(self) -> int:
        self.last_label = self.last_label % 255 + 1
        return self.last_label

    def _shape(self, method: str, xy, fill, label, **kw) -> None:
        getattr(self._paint, method)(xy, fill=fill, **kw)
        if label is not False:
            getattr(self._mark, method)(xy, fill=self.new_label() if label is None else label, **kw)

    def polygon(self, points, fill, label=None) -> None:
        self._shape("polygon", [(float(x), float(y)) for x, y in points], fill, label)

    def ellipse(self, box, fill, label=None) -> None:
        self._shape("ellipse", _box(box), fill, label)

    def chord(self, box, start: float, end: float, fill, label=None) -> None:
        self._shape("chord", _box(box), fill, label, start=start, end=end)

    def rect(self, box, fill, label=None, radius: float | None = None) -> None:
        box = _box(box)
        r = min(box[2] - box[0], box[3] - box[1]) * (self.roundness if radius is None else radius)
        if r >= 1:
            self._shape("rounded_rectangle", box, fill, label, radius=r)
        else:
            self._shape("rectangle", box, fill, label)

    def line(self, points, fill, width: float, label=False) -> None:
        self._shape("line", [(float(x), float(y)) for x, y in points], fill, label,
                    width=max(1, int(round(width))), joint="curve")

    def ring(self, box, colour, width: float) -> None:
        self._paint.ellipse(_box(box), outline=colour, width=max(1, int(round(width))))

    def arc(self, box, start: float, end: float, colour, width: float) -> None:
        self._paint.arc(_box(box), start, end, fill=colour, width=max(1, int(round(width))))

    def glow(self, x: float, y: float, radius: float, colour: RGB, strength: float) -> None:
        self.lights.append(Light(x, y, radius, colour, strength))

    def light_map(self) -> np.ndarray | None:
        """The lights as an additive RGB map at 1/8 size (styles upscale it)."""
        if not self.lights:
            return None
        h, w = max(2, self.height // 8), max(2, self.width // 8)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        xs, ys = (xs + 0.5) * (self.width / w), (ys + 0.5) * (self.height / h)
        total = np.zeros((h, w, 3), np.float32)
        for light in self.lights:
            d2 = ((xs - light.x) ** 2 + (ys - light.y) ** 2) / max(light.radius, 1.0) ** 2
            falloff = light.strength / (1 + 6 * d2) ** 1.5
            total += falloff[..., None] * (np.array(light.colour, np.float32) / 255)
        return total

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.image).copy(), np.asarray(self.labels).copy()

    def set_arrays(self, rgb: np.ndarray, labels: np.ndarray | None = None) -> None:
        self.image.paste(Image.fromarray(rgb))
        if labels is not None:
            self.labels.paste(Image.fromarray(labels))


def _box(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


# --- skies --------------------------------------------------------------------------------

SKIES: dict[str, tuple[RGB, RGB, RGB]] = {  # zenith, middle, horizon
    "dawn": ((62, 78, 146), (204, 142, 160), (255, 198, 142)),
    "morning": ((92, 152, 220), (158, 198, 236), (226, 236, 238)),
    "noon": ((48, 118, 212), (108, 168, 232), (192, 222, 242)),
    "sunset": ((66, 50, 114), (216, 98, 82), (255, 186, 92)),
    "dusk": ((36, 38, 88), (122, 76, 124), (236, 142, 98)),
    "night": ((10, 14, 40), (24, 34, 76), (56, 68, 116)),
}
AMBIENT = {
    "dawn": (1.0, 0.9, 0.88), "morning": (1.0, 0.98, 0.95), "noon": (1.0, 1.0, 1.0),
    "sunset": (1.0, 0.82, 0.7), "dusk": (0.8, 0.7, 0.8), "night": (0.46, 0.52, 0.76),
}
WEATHER_SKY: dict[str, tuple[RGB, float]] = {
    "rain": ((112, 118, 128), 0.6), "storm": ((70, 74, 86), 0.7), "fog": ((200, 202, 206), 0.7),
    "snow": ((214, 220, 230), 0.5),
}
SUN_HEIGHT = {"dawn": 0.85, "morning": 0.45, "noon": 0.18, "sunset": 0.8, "dusk": 0.95, "night": 0.3}


def sky_colours(spec: SceneSpec, style: styles.StyleSpec) -> tuple[RGB, RGB, RGB]:
    stops = SKIES[spec.time]
    if spec.place == "space" and not spec.indoor:
        stops = ((8, 6, 26), (22, 16, 52), (48, 30, 78))
    if spec.weather in WEATHER_SKY:
        grey, amount = WEATHER_SKY[spec.weather]
        if spec.time == "night":
            grey = scaled(grey, 0.4)
        stops = tuple(mix(c, grey, amount) for c in stops)  # type: ignore[assignment]
    return tuple(saturated(c, style.sky_saturation) for c in stops)  # type: ignore[return-value]


def gradient_image(size: tuple[int, int], stops: tuple[RGB, ...], until: float) -> Image.Image:
    """A vertical gradient through `stops`, reaching the last one at y = `until` (px)."""
    w, h = size
    y = np.arange(h, dtype=np.float32) / max(until, 1.0)
    t = np.clip(y, 0, 1) * (len(stops) - 1)
    column = np.stack([np.interp(t, np.arange(len(stops)), [c[k] for c in stops]) for k in range(3)], -1)
    return Image.fromarray(column.astype(np.uint8)[:, None, :]).resize((w, h), Image.NEAREST)


# --- the world of one shot ----------------------------------------------------------------


@dataclass
class World:
    """One shot's scene under construction: canvas, what to draw, and how the camera sees it."""

    canvas: Canvas
    spec: SceneSpec
    style: styles.StyleSpec
    scene_key: int
    """Seeds scene-level randomness: the same skyline and hills in every shot of a scene."""
    rng: np.random.Generator
    """Shot-level randomness: camera offset, figure positions, props."""
    horizon: float
    pan: float
    sky: tuple[RGB, RGB, RGB]
    haze: float = 0.35
    ambient: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @property
    def w(self) -> int:
        return self.canvas.width

    @property
    def h(self) -> int:
        return self.canvas.height

    @property
    def u(self) -> float:
        """Length unit: 1/1000 of the short side."""
        return self.canvas.short / 1000

    def scene_rng(self, name: str) -> np.random.Generator:
        return np.random.default_rng(stable_int(name, self.scene_key))

    def tone(self, colour: RGB, depth: float = 0.0) -> RGB:
        """A colour as lit by the time of day and faded by distance into the haze."""
        lit = scaled(colour, self.ambient)
        return mix(lit, self.sky[2], min(0.92, self.haze * depth))

    def ground(self, colour: RGB, depth: float = 0.0) -> RGB:
        if self.spec.weather == "snow":
            colour = mix(colour, (236, 240, 248), 0.75)
        return self.tone(colour, depth)

    def profile(self, base: float, amplitude: float, depth: float, key: str, jagged: float = 0.0):
        """A ridge line across the frame (list of points), the same in every shot of the scene
        and shifted by the camera's pan (less for far layers)."""
        rng = self.scene_rng(key)
        freqs = rng.uniform(0.6, 3.2, 4)
        phases = rng.uniform(0, 2 * math.pi, 4)
        weights = rng.uniform(0.4, 1.0, 4)
        xs = np.linspace(-0.02, 1.02, 90)
        wx = xs * (self.w / self.canvas.short) + self.pan * (1 - depth)
        ys = sum(wt * np.sin(f * 2 * math.pi * wx + p) for f, p, wt in zip(freqs, phases, weights))
        ys = ys / weights.sum()
        if jagged:
            teeth = np.abs(((wx * 9 + phases[0]) % 1.0) - 0.5) * 2 - 0.5
            ys = ys + jagged * teeth
        return [(x * self.w, base - amplitude * y) for x, y in zip(xs, ys)]

    def fill_below(self, points, colour: RGB, label=None) -> None:
        self.canvas.polygon([*points, (self.w * 1.05, self.h * 1.05), (-self.w * 0.05, self.h * 1.05)],
                            colour, label)


def paint_sky(world: World) -> None:
    c = world.canvas
    c.image.paste(gradient_image((c.width, c.height), world.sky, world.horizon))
    spec = world.spec
    if spec.dark and spec.weather not in ("rain", "storm", "fog"):
        paint_stars(world, 260 if spec.place == "space" else 140)
    if spec.place == "space" and not spec.indoor:
        paint_nebula(world)
    paint_sun_or_moon(world)


def paint_stars(world: World, count: int) -> None:
    rng, c = world.rng, world.canvas
    xs, ys = rng.uniform(0, c.width, count), rng.uniform(0, world.horizon * 0.95, count)
    sizes = rng.choice([0.6, 0.9, 1.3, 2.0], count, p=[0.5, 0.3, 0.15, 0.05]) * max(1.0, world.u * 1.6)
    for x, y, s in zip(xs, ys, sizes):
        shade = int(150 + 100 * min(1.0, s / (2 * max(1.0, world.u * 1.6))))
        c.ellipse((x - s, y - s, x + s, y + s), (shade, shade, min(255, shade + 20)), label=False)


def paint_nebula(world: World) -> None:
    c = world.canvas
    h, w = max(4, c.height // 16), max(4, c.width // 16)
    seed = stable_int("nebula", world.scene_key)
    cloud = np.clip(styles.smooth_noise(h, w, max(2, min(h, w) // 3), seed % (1 << 31)), 0, None)
    hue = np.array(((140, 60, 170), (40, 120, 170), (190, 70, 110))[seed % 3], np.float32)
    layer = cv2.resize(cloud, (c.width, c.height), interpolation=cv2.INTER_CUBIC)[..., None] * hue * 0.3
    rgb = np.asarray(c.image).astype(np.float32) + layer
    c.image.paste(Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)))


def paint_sun_or_moon(world: World) -> None:
    spec, c, u = world.spec, world.canvas, world.u
    overcast = spec.weather in ("rain", "storm", "fog")
    x = c.width * float(world.scene_rng("sun").uniform(0.15, 0.85)) - world.pan * c.short * 0.3
    x = min(max(x, c.width * 0.08), c.width * 0.92)
    y = world.horizon * SUN_HEIGHT[spec.time]
    if spec.time == "night" or spec.place == "space":
        if "moon" in spec.props or spec.place == "space":
            r = 38 * u
            c.ellipse((x - r, y - r, x + r, y + r), (236, 234, 214) if not overcast else (150, 154, 164))
            c.ellipse((x - r * 0.5, y - r * 0.3, x - r * 0.1, y + r * 0.1), (206, 204, 188), label=False)
            c.glow(x, y, 260 * u, (150, 170, 230), 0.55 if not overcast else 0.25)
        return
    warm = {"dawn": (255, 214, 160), "sunset": (255, 160, 84), "dusk": (255, 140, 90)}.get(spec.time, (255, 248, 222))
    if overcast:
        c.glow(x, y, 420 * u, warm, 0.25)
        return
    r = 46 * u
    c.ellipse((x - r, y - r, x + r, y + r), warm)
    c.glow(x, y, 420 * u, warm, 0.6 if spec.time in ("dawn", "sunset", "dusk") else 0.4)


def paint_clouds(world: World, count: int) -> None:
    rng, c, u = world.rng, world.canvas, world.u
    base = mix(world.sky[1], (255, 255, 255), 0.55)
    if world.spec.time in ("dawn", "sunset", "dusk"):
        base = mix(world.sky[2], (250, 210, 200), 0.4)
    if world.spec.time == "night":
        base = mix(world.sky[1], (120, 130, 170), 0.35)
    if world.spec.weather in ("rain", "storm"):
        base = scaled(world.sky[0], 0.85)
    for _ in range(count):
        cx, cy = rng.uniform(-0.1, 1.1) * c.width, rng.uniform(0.08, 0.75) * world.horizon
        size = rng.uniform(50, 130) * u * (1.6 if world.spec.weather in ("rain", "storm") else 1.0)
        label = c.new_label()
        colour = mix(base, world.sky[0], float(rng.uniform(0, 0.15)))
        for _ in range(int(rng.integers(4, 8))):
            dx, dy = rng.uniform(-1.4, 1.4) * size, rng.uniform(-0.45, 0.1) * size
            r = rng.uniform(0.45, 0.8) * size
            c.ellipse((cx + dx - r, cy + dy - r * 0.7, cx + dx + r, min(cy + dy + r * 0.7, cy + size * 0.25)),
                      colour, label)


# --- places -------------------------------------------------------------------------------


def paint_hills(world: World, layers: int, base_colour: RGB, top: float, spread: float) -> None:
    for i in range(layers):
        depth = 1 - i / max(1, layers)
        y = world.horizon + (top + spread * i / max(1, layers - 1 if layers > 1 else 1)) * world.h
        points = world.profile(y, 60 * world.u * (1 + i * 0.4), depth, f"hills{i}")
        world.fill_below(points, world.ground(mix(base_colour, (20, 40, 20), 0.08 * i), depth))


def paint_trees(world: World, y_range: tuple[float, float], count: int, depth: float, key: str,
                conifer_share: float = 0.5) -> None:
    rng = world.scene_rng(key)
    c, u = world.canvas, world.u
    scale = (1 - depth) * 1.6 + 0.35
    positions = sorted(zip(rng.uniform(-0.1, 1.1, count), rng.uniform(*y_range, count)), key=lambda p: p[1])
    for wx, y in positions:
        x = (wx - world.pan * (1 - depth) * 0.5) % 1.2 - 0.1
        draw_tree(world, x * c.width, y, 150 * u * scale * float(rng.uniform(0.8, 1.3)), depth,
                  rng.random() < conifer_share)


def draw_tree(world: World, x: float, ground_y: float, size: float, depth: float, conifer: bool) -> None:
    c = world.canvas
    trunk = world.tone((92, 64, 42), depth)
    leaf = world.ground((46, 112, 52) if conifer else (72, 136, 58), depth)
    tw = size * 0.07
    c.rect((x - tw, ground_y - size * 0.45, x + tw, ground_y), trunk)
    if conifer:
        for k in range(3):
            top = ground_y - size * (1.05 - k * 0.22)
            half = size * (0.22 + k * 0.08)
            c.polygon([(x, top), (x + half, top + size * 0.42), (x - half, top + size * 0.42)],
                      scaled(leaf, 1 - 0.06 * k))
    else:
        label = c.new_label()
        for dx, dy, r in ((0, -0.72, 0.3), (-0.2, -0.55, 0.24), (0.2, -0.55, 0.24), (0, -0.9, 0.2)):
            c.ellipse((x + (dx - r) * size, ground_y + (dy - r) * size, x + (dx + r) * size,
                       ground_y + (dy + r) * size), leaf, label)


def paint_sea(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    water = world.tone(mix(world.sky[2], (30, 70, 110), 0.55))
    deep = world.tone(mix(world.sky[0], (10, 40, 70), 0.6))
    c.image.paste(gradient_image((c.width, c.height - int(world.horizon)), (water, deep), c.height - world.horizon),
                  (0, int(world.horizon)))
    c.labels.paste(c.new_label(), (0, int(world.horizon), c.width, c.height))
    highlight = mix(world.sky[2], (255, 255, 255), 0.4)
    rng = world.rng
    for _ in range(90):
        y = world.horizon + (rng.random() ** 1.6) * (c.height - world.horizon)
        length = (20 + 160 * (y - world.horizon) / c.height) * u
        x = rng.uniform(0, c.width)
        c.line([(x, y), (x + length, y)], (*highlight, 110), max(1, 3 * u * (y / c.height)))
    headland_side = 1 if world.scene_rng("headland").random() < 0.5 else -1
    x0 = c.width * (0.64 if headland_side > 0 else 0.0) - world.pan * c.short * 0.1
    cliff = world.ground((84, 110, 70), 0.35)
    top = world.horizon - 70 * u
    c.polygon([(x0, world.horizon + 4 * u), (x0 + 40 * u, top + 30 * u), (x0 + 90 * u, top),
               (x0 + c.width * 0.32, top + 10 * u), (x0 + c.width * 0.36, world.horizon + 4 * u)], cliff)
    if "lighthouse" in spec.props or world.scene_rng("lighthouse").random() < 0.5:
        draw_lighthouse(world, x0 + c.width * 0.18, top + 4 * u, 190 * u)
    if "boat" in spec.props or rng.random() < 0.45:
        draw_boat(world, rng.uniform(0.15, 0.85) * c.width, world.horizon + rng.uniform(0.05, 0.2) * c.height,
                  rng.uniform(50, 90) * u)
    shore = world.profile(c.height * 0.83, 18 * u, 0.0, "shore")
    sandy = world.scene_rng("sand").random() < 0.5
    world.fill_below(shore, world.ground((214, 192, 148) if sandy else (96, 132, 72)))
    if "rocks" in spec.props or not sandy:
        paint_rocks(world, c.height * 0.86, 4)


def draw_lighthouse(world: World, x: float, base: float, height: float) -> None:
    c = world.canvas
    w0, w1 = height * 0.13, height * 0.085
    white, red = world.tone((238, 236, 228), 0.3), world.tone((196, 50, 44), 0.3)
    c.polygon([(x - w0, base), (x + w0, base), (x + w1, base - height), (x - w1, base - height)], white)
    for k in (0.2, 0.55):
        y0, y1 = base - height * k, base - height * (k + 0.16)
        f0, f1 = w0 + (w1 - w0) * k, w0 + (w1 - w0) * (k + 0.16)
        c.polygon([(x - f0, y0), (x + f0, y0), (x + f1, y1), (x - f1, y1)], red)
    top = base - height
    c.rect((x - w1 * 1.3, top - height * 0.03, x + w1 * 1.3, top + height * 0.02), world.tone((60, 60, 66), 0.3))
    lit = world.spec.time in ("dusk", "night", "sunset") or world.spec.weather in ("fog", "storm", "rain")
    lamp = (255, 226, 140) if lit else world.tone((200, 220, 230), 0.3)
    c.rect((x - w1 * 0.8, top - height * 0.16, x + w1 * 0.8, top - height * 0.03), lamp)
    c.polygon([(x - w1 * 1.1, top - height * 0.16), (x + w1 * 1.1, top - height * 0.16), (x, top - height * 0.27)],
              red)
    if lit:
        ly = top - height * 0.1
        side = 1 if world.rng.random() < 0.5 else -1
        far = x + side * c.width * 0.6
        beam = [(x, ly - 4), (far, ly - height * 0.35), (far, ly + height * 0.2),
                (x, ly + 4)]
        c.polygon(beam, (255, 240, 190, 60), label=False)
        c.glow(x, ly, height * 0.9, (255, 220, 150), 0.8)


def draw_boat(world: World, x: float, y: float, size: float) -> None:
    c = world.canvas
    depth = 0.4
    hull = world.tone((120, 70, 46), depth)
    c.polygon([(x - size, y - size * 0.25), (x + size, y - size * 0.25), (x + size * 0.7, y), (x - size * 0.7, y)],
              hull)
    c.line([(x, y - size * 0.25), (x, y - size * 1.5)], world.tone((80, 60, 50), depth), max(1, size * 0.05))
    mast = x + size * 0.05
    c.polygon([(mast, y - size * 1.45), (x + size * 0.8, y - size * 0.35), (mast, y - size * 0.35)],
              world.tone((240, 236, 222), depth))


def paint_rocks(world: World, y: float, count: int) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    for _ in range(count):
        x, r = rng.uniform(0, c.width), rng.uniform(20, 60) * u
        yy = y + rng.uniform(0, 0.1) * c.height
        c.ellipse((x - r * 1.3, yy - r, x + r * 1.3, yy + r * 0.4), world.ground((112, 108, 104)))


def paint_city(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    lit = spec.time in ("dusk", "night", "sunset") or spec.weather in ("rain", "storm", "fog")
    for depth, count, tall in ((0.8, 16, 0.45), (0.4, 9, 0.75)):
        rng = world.scene_rng(f"city{depth}")
        x = -c.width * 0.1 - (world.pan * (1 - depth) * c.short) % (c.width * 0.2)
        while x < c.width * 1.1:
            bw = rng.uniform(0.06, 0.14) * c.width * (1.3 - depth * 0.5)
            bh = rng.uniform(0.3, 1.0) * tall * world.horizon
            colour = world.tone(tuple(int(v) for v in rng.choice(
                [(120, 110, 120), (150, 120, 100), (100, 112, 130), (170, 150, 130), (90, 90, 104)])), depth)
            top = world.horizon + 10 * u - bh
            c.rect((x, top, x + bw, world.horizon + 30 * u), colour, radius=world.style.roundness * 0.3)
            if depth < 0.6:
                draw_windows(world, (x, top, x + bw, world.horizon + 10 * u), lit, rng)
            x += bw + rng.uniform(-0.01, 0.02) * c.width
    road_top = c.height * 0.76
    world.fill_below(world.profile(world.horizon + 30 * u, 0, 0.3, "street"), world.ground((130, 126, 122), 0.3))
    c.rect((-1, road_top, c.width + 1, c.height + 1), world.ground((74, 76, 84)), radius=0)
    c.rect((-1, road_top - 18 * u, c.width + 1, road_top), world.ground((160, 154, 146)), radius=0)
    for k in range(6):
        x = (k / 5) * c.width * 1.1 - (world.pan * c.short) % (c.width * 0.22)
        c.rect((x, c.height * 0.9, x + 70 * u, c.height * 0.91), world.tone((220, 210, 170)), label=False)
    if lit or "lamp" in spec.props:
        for k in range(3):
            x = c.width * (0.12 + 0.38 * k) + world.rng.uniform(-0.05, 0.05) * c.width
            draw_streetlamp(world, x, road_top - 10 * u, 260 * u, lit)


def draw_windows(world: World, box, lit: bool, rng: np.random.Generator) -> None:
    c, u = world.canvas, world.u
    x0, y0, x1, y1 = box
    size = 12 * u
    gap = size * 1.1
    dark = world.tone((60, 80, 110))
    glow = (255, 214, 120)
    for y in np.arange(y0 + gap, y1 - gap * 2, size + gap):
        for x in np.arange(x0 + gap, x1 - size - gap * 0.5, size + gap):
            on = lit and rng.random() < 0.45
            c.rect((x, y, x + size, y + size * 1.3), glow if on else dark, label=False, radius=0)


def draw_streetlamp(world: World, x: float, base: float, height: float, lit: bool) -> None:
    c = world.canvas
    pole = world.tone((40, 42, 48))
    c.rect((x - height * 0.015, base - height, x + height * 0.015, base), pole)
    c.rect((x - height * 0.06, base - height * 1.06, x + height * 0.06, base - height * 0.98),
           (255, 228, 160) if lit else world.tone((200, 200, 190)))
    if lit:
        c.glow(x, base - height, height * 0.8, (255, 200, 120), 0.65)


def paint_forest(world: World) -> None:
    c, u = world.canvas, world.u
    far = world.profile(world.horizon + 10 * u, 40 * u, 0.85, "treeline", jagged=0.6)
    world.fill_below(far, world.ground((70, 110, 80), 0.85))
    paint_hills(world, 1, (82, 132, 64), 0.02, 0.0)
    paint_trees(world, (world.horizon + 0.02 * c.height, world.horizon + 0.1 * c.height), 14, 0.6, "mid")
    ground = world.profile(c.height * 0.8, 14 * u, 0.0, "floor")
    world.fill_below(ground, world.ground((78, 128, 58)))
    cx = c.width * (0.5 + float(world.rng.uniform(-0.15, 0.15)))
    c.polygon([(cx - 16 * u, world.horizon + 0.12 * c.height), (cx + 16 * u, world.horizon + 0.12 * c.height),
               (cx + c.width * 0.22, c.height * 1.02), (cx - c.width * 0.22, c.height * 1.02)],
              world.ground((160, 128, 86)))
    paint_trees(world, (c.height * 0.95, c.height * 1.05), 3, 0.05, "front" + str(world.rng.integers(99)), 0.3)
    if world.spec.time in ("morning", "dawn") and world.spec.weather == "clear":
        for k in range(3):
            x = c.width * float(world.rng.uniform(0.1, 0.9))
            c.polygon([(x, 0), (x + 60 * u, 0), (x + 260 * u, c.height), (x + 120 * u, c.height)],
                      (255, 240, 190, 34), label=False)


def paint_mountains(world: World) -> None:
    c, u = world.canvas, world.u
    peaks = world.profile(world.horizon - 40 * u, 190 * u, 0.9, "peaks", jagged=0.9)
    world.fill_below(peaks, world.ground((110, 118, 140), 0.75))
    snow = world.tone((240, 242, 248), 0.6)
    for (x0, y0), (x1, y1), (x2, y2) in zip(peaks, peaks[1:], peaks[2:]):
        if y1 < y0 and y1 < y2 and y1 < world.horizon - 150 * u:
            d = 40 * u
            c.polygon([(x1, y1), (x1 + d, y1 + d * 1.1), (x1 - d * 0.9, y1 + d * 1.1)], snow, label=False)
    paint_hills(world, 2, (92, 138, 72), -0.01, 0.06)
    rng = world.rng
    if "house" in world.spec.props or world.scene_rng("village").random() < 0.7:
        for _ in range(int(rng.integers(3, 7))):
            draw_house(world, rng.uniform(0.05, 0.95) * c.width, world.horizon + rng.uniform(0.05, 0.12) * c.height,
                       rng.uniform(45, 80) * u, 0.4)
    world.fill_below(world.profile(c.height * 0.82, 20 * u, 0.0, "meadow"), world.ground((96, 148, 70)))
    paint_trees(world, (c.height * 0.84, c.height * 0.9), 3, 0.15, "meadow" + str(rng.integers(99)), 0.8)


def draw_house(world: World, x: float, ground_y: float, size: float, depth: float) -> None:
    c = world.canvas
    wall = world.tone(((226, 210, 180), (200, 170, 140), (236, 226, 210))[int(x) % 3], depth)
    roof = world.tone(((150, 60, 48), (90, 70, 60), (70, 90, 120))[int(size) % 3], depth)
    c.rect((x - size * 0.5, ground_y - size * 0.7, x + size * 0.5, ground_y), wall)
    c.polygon([(x - size * 0.62, ground_y - size * 0.66), (x + size * 0.62, ground_y - size * 0.66),
               (x, ground_y - size * 1.2)], roof)
    lit = world.spec.time in ("dusk", "night", "sunset")
    win = (255, 210, 120) if lit else world.tone((80, 100, 130), depth)
    c.rect((x - size * 0.3, ground_y - size * 0.5, x - size * 0.08, ground_y - size * 0.28), win, label=False)
    c.rect((x + size * 0.1, ground_y - size * 0.42, x + size * 0.3, ground_y), world.tone((100, 70, 50), depth))
    if lit:
        c.glow(x - size * 0.2, ground_y - size * 0.4, size * 0.9, (255, 190, 110), 0.35)


def paint_desert(world: World) -> None:
    c, u = world.canvas, world.u
    for i, colour in enumerate(((226, 186, 130), (214, 168, 110), (232, 196, 140))):
        depth = 0.8 - i * 0.35
        dunes = world.profile(world.horizon + (i * 0.1) * c.height, (40 + 20 * i) * u, depth, f"dune{i}")
        world.fill_below(dunes, world.ground(colour, depth))
    rng = world.rng
    for _ in range(int(rng.integers(1, 4))):
        x, y, s = rng.uniform(0.05, 0.95) * c.width, rng.uniform(0.78, 0.95) * c.height, rng.uniform(60, 120) * u
        green = world.ground((70, 130, 80))
        c.rect((x - s * 0.1, y - s, x + s * 0.1, y), green, radius=0.5)
        c.rect((x - s * 0.4, y - s * 0.65, x - s * 0.22, y - s * 0.3), green, radius=0.5)
        c.rect((x - s * 0.4, y - s * 0.4, x, y - s * 0.3), green, radius=0.5)


def paint_space_ground(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    srng = world.scene_rng("planet")
    x, y, r = (float(srng.uniform(0.2, 0.8)) - world.pan * 0.2) * c.width, world.horizon * 0.45, 150 * u
    planet = ((90, 130, 200), (200, 120, 90), (120, 180, 150))[int(srng.integers(3))]
    c.ellipse((x - r, y - r, x + r, y + r), planet)
    c.chord((x - r, y - r, x + r, y + r), 300, 120, scaled(planet, 0.6), label=False)
    c.ring((x - r * 1.8, y - r * 0.35, x + r * 1.8, y + r * 0.35), mix(planet, (255, 255, 255), 0.5), 5 * u)
    if "starship" in world.spec.props or "boat" in world.spec.props:
        draw_starship(world, c.width * float(rng.uniform(0.2, 0.8)), world.horizon * float(rng.uniform(0.3, 0.6)),
                      float(rng.uniform(110, 170)) * u, 1 if rng.random() < 0.5 else -1)
    surface = world.profile(world.horizon + 0.05 * c.height, 30 * u, 0.0, "regolith")
    world.fill_below(surface, (128, 124, 134))
    for _ in range(7):
        cx, cy, cr = rng.uniform(0, c.width), rng.uniform(0.8, 1.0) * c.height, rng.uniform(20, 70) * u
        c.ellipse((cx - cr, cy - cr * 0.3, cx + cr, cy + cr * 0.3), (96, 92, 104), label=False)


def draw_starship(world: World, x: float, y: float, size: float, heading: int) -> None:
    c = world.canvas
    hull, trim = (206, 212, 224), (150, 60, 70)
    fin = [(x - heading * size * 0.6, y), (x - heading * size * 0.95, y - size * 0.35), (x - heading * size * 0.2, y)]
    c.polygon(fin, trim)
    c.polygon(ellipse_points(x, y, size, size * 0.22), hull)
    c.polygon([(p[0], p[1] + size * 0.26) for p in fin], scaled(trim, 0.8))
    c.ellipse((x + heading * size * 0.45 - size * 0.12, y - size * 0.1, x + heading * size * 0.45 + size * 0.12,
               y + size * 0.04), (120, 200, 240))
    tail = x - heading * size
    c.polygon([(tail, y - size * 0.1), (tail, y + size * 0.1), (tail - heading * size * 0.5, y)], (255, 170, 90),
              label=False)
    c.glow(tail, y, size * 1.2, (255, 160, 90), 0.6)


def paint_landscape(world: World) -> None:
    c = world.canvas
    paint_hills(world, 3, (104, 158, 72), -0.01, 0.12)
    paint_trees(world, (world.horizon + 0.05 * c.height, world.horizon + 0.15 * c.height), 6, 0.5, "copse", 0.3)
    world.fill_below(world.profile(c.height * 0.83, 14 * world.u, 0.0, "field"), world.ground((112, 166, 76)))
    if "flowers" in world.spec.props or world.rng.random() < 0.5:
        paint_flowers(world)
    if "house" in world.spec.props:
        draw_house(world, c.width * float(world.rng.uniform(0.1, 0.9)), world.horizon + 0.08 * c.height,
                   90 * world.u, 0.3)
    if "tower" in world.spec.props:
        draw_tower(world, c.width * float(world.rng.uniform(0.15, 0.85)), world.horizon + 0.02 * c.height,
                   320 * world.u)


def draw_tower(world: World, x: float, base: float, height: float) -> None:
    c = world.canvas
    stone, roof = world.tone((150, 146, 150), 0.5), world.tone((80, 60, 100), 0.5)
    c.rect((x - height * 0.1, base - height, x + height * 0.1, base), stone)
    top = base - height
    c.polygon([(x - height * 0.14, top), (x + height * 0.14, top), (x, top - height * 0.35)], roof)
    lit = world.spec.time in ("dusk", "night", "sunset")
    c.rect((x - height * 0.03, base - height * 0.8, x + height * 0.03, base - height * 0.7),
           (255, 210, 120) if lit else (60, 60, 80), label=False)


def paint_flowers(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    for _ in range(40):
        x, y = rng.uniform(0, c.width), rng.uniform(0.85, 1.0) * c.height
        r = rng.uniform(4, 9) * u
        colour = world.tone(((236, 90, 110), (250, 220, 80), (240, 240, 250), (170, 110, 220))[int(rng.integers(4))])
        c.ellipse((x - r, y - r, x + r, y + r), colour, label=False)


OUTDOOR_PAINTERS = {
    "sea": paint_sea, "city": paint_city, "forest": paint_forest, "mountain": paint_mountains,
    "desert": paint_desert, "space": paint_space_ground, "landscape": paint_landscape,
}


def paint_outdoors(world: World) -> None:
    paint_sky(world)
    if world.spec.place != "space":
        rainy = world.spec.weather in ("rain", "storm")
        paint_clouds(world, int(world.rng.integers(6, 9) if rainy else world.rng.integers(1, 5)))
    if world.spec.weather == "storm":
        paint_lightning(world)
    OUTDOOR_PAINTERS[world.spec.place](world)
    if world.spec.weather == "fog":
        paint_fog_banks(world)


def paint_lightning(world: World) -> None:
    c, u, rng = world.canvas, world.u, world.rng
    x = c.width * float(rng.uniform(0.2, 0.8))
    points, y = [(x, 0.0)], 0.0
    while y < world.horizon * 0.9:
        y += float(rng.uniform(20, 60)) * u
        x += float(rng.uniform(-40, 40)) * u
        points.append((x, y))
    c.line(points, (250, 250, 255), 5 * u)
    c.glow(x, world.horizon * 0.4, 700 * u, (200, 210, 255), 0.5)


def paint_fog_banks(world: World) -> None:
    c, u = world.canvas, world.u
    c.rect((-1, -1, c.width + 1, c.height + 1), (222, 224, 228, 70), label=False, radius=0)
    for k in range(4):
        y = world.horizon + (k - 1) * 60 * u + world.rng.uniform(-20, 20) * u
        c.rect((-c.width * 0.1, y - 40 * u, c.width * 1.1, y + 40 * u), (226, 228, 232, 80), label=False, radius=0.5)


# --- interiors ----------------------------------------------------------------------------


def paint_interior(world: World) -> None:
    c, u, spec = world.canvas, world.u, world.spec
    floor_y = world.horizon
    wall = world.tone(spec.wall)
    c.image.paste(gradient_image((c.width, c.height), (scaled(wall, 0.82), wall, scaled(wall, 1.05)), floor_y))
    c.labels.paste(c.new_label(), (0, 0, c.width, int(floor_y)))
    c.rect((-1, floor_y - 70 * u, c.width + 1, floor_y), scaled(wall, 0.8), radius=0)
    wx = c.width * float(world.rng.uniform(0.15, 0.6))
    window = (wx, floor_y - 0.55 * c.height, wx + c.width * 0.26, floor_y - 0.16 * c.height)
    paint_window(world, window)
    floor = world.tone((132, 92, 60) if spec.wall != WALLS["spaceship"] else (96, 100, 112))
    c.rect((-1, floor_y, c.width + 1, c.height + 1), floor, radius=0)
    for k in range(1, 12):
        y = floor_y + (c.height - floor_y) * (k / 11) ** 1.4
        c.line([(0, y), (c.width, y)], scaled(floor, 0.8), max(1, 2 * u))
    rug = mix(floor, (160, 50, 50), 0.6)
    c.ellipse((c.width * 0.25, c.height * 0.86, c.width * 0.75, c.height * 1.04), rug)
    paint_furniture(world, floor_y, window)


def paint_window(world: World, box) -> None:
    c, u = world.canvas, world.u
    x0, y0, x1, y1 = box
    frame = world.tone((92, 66, 46))
    c.rect((x0 - 14 * u, y0 - 14 * u, x1 + 14 * u, y1 + 14 * u), frame, radius=0.02)
    view = gradient_image((int(x1 - x0), int(y1 - y0)), world.sky, (y1 - y0) * 1.3)
    c.image.paste(view, (int(x0), int(y0)))
    c.labels.paste(c.new_label(), (int(x0), int(y0), int(x1), int(y1)))
    spec = world.spec
    if spec.dark:
        for _ in range(25):
            x, y = world.rng.uniform(x0, x1), world.rng.uniform(y0, y1 * 0.9 + y0 * 0.1)
            c.ellipse((x - 1.5 * u, y - 1.5 * u, x + 1.5 * u, y + 1.5 * u), (230, 230, 250), label=False)
    skyline = world.tone((60, 80, 100) if spec.place == "sea" else (70, 90, 70), 0.5)
    yy = y0 + (y1 - y0) * 0.7
    if spec.place == "city":
        for k in range(6):
            bx = x0 + (x1 - x0) * k / 6
            c.rect((bx, yy - (y1 - y0) * (0.1 + 0.08 * (k % 3)), bx + (x1 - x0) / 6.5, y1), skyline, label=False)
    elif spec.place != "space":
        c.rect((x0, yy, x1, y1), skyline, label=False)
    c.rect(((x0 + x1) / 2 - 5 * u, y0, (x0 + x1) / 2 + 5 * u, y1), frame, radius=0)
    c.rect((x0, (y0 + y1) / 2 - 5 * u, x1, (y0 + y1) / 2 + 5 * u), frame, radius=0)
    if spec.weather in ("rain", "storm"):
        for _ in range(30):
            x, y = world.rng.uniform(x0, x1), world.rng.uniform(y0, y1)
            c.line([(x, y), (x - 4 * u, y + 22 * u)], (210, 220, 240, 120), 2 * u)
    if not spec.dark:
        c.glow((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 1.4, (255, 244, 220), 0.35)


def paint_furniture(world: World, floor_y: float, window) -> None:
    c, u, rng, spec = world.canvas, world.u, world.rng, world.spec
    wood = world.tone((120, 80, 50))
    free_x = [x for x in (0.08, 0.72, 0.86) if not window[0] - 0.15 * c.width < x * c.width < window[2]]
    if "books" in spec.props or rng.random() < 0.4:
        x = c.width * (free_x[0] if free_x else 0.8)
        draw_bookshelf(world, x, floor_y, 420 * u)
    if "fire" in spec.props:
        x = c.width * float(rng.uniform(0.6, 0.85))
        c.rect((x - 110 * u, floor_y - 200 * u, x + 110 * u, floor_y), world.tone((150, 130, 120)))
        c.rect((x - 70 * u, floor_y - 130 * u, x + 70 * u, floor_y), (40, 30, 28))
        c.polygon([(x - 45 * u, floor_y), (x, floor_y - 110 * u), (x + 45 * u, floor_y)], (255, 150, 50))
        c.glow(x, floor_y - 50 * u, 450 * u, (255, 150, 70), 0.55)
    tx = c.width * float(rng.uniform(0.3, 0.7))
    if "table" in spec.props or rng.random() < 0.6:
        top = floor_y + 30 * u
        c.rect((tx - 170 * u, top - 20 * u, tx + 170 * u, top), wood)
        for lx in (-150, 130):
            c.rect((tx + lx * u, top, tx + (lx + 20) * u, top + 150 * u), scaled(wood, 0.8))
        mug = world.tone((230, 230, 220))
        c.rect((tx - 60 * u, top - 60 * u, tx - 20 * u, top - 20 * u), mug)
        if "candle" in spec.props or spec.dark:
            c.rect((tx + 40 * u, top - 80 * u, tx + 58 * u, top - 20 * u), (240, 230, 200))
            c.ellipse((tx + 42 * u, top - 104 * u, tx + 56 * u, top - 80 * u), (255, 200, 90))
            c.glow(tx + 49 * u, top - 92 * u, 340 * u, (255, 180, 90), 0.45)
    if "lamp" in spec.props or spec.dark:
        lx = c.width * float(rng.uniform(0.05, 0.95))
        c.rect((lx - 6 * u, floor_y - 300 * u, lx + 6 * u, floor_y), (50, 44, 40))
        shade_bottom, shade_top = floor_y - 300 * u, floor_y - 380 * u
        c.polygon([(lx - 60 * u, shade_bottom), (lx + 60 * u, shade_bottom), (lx + 36 * u, shade_top),
                   (lx - 36 * u, shade_top)], (250, 222, 160))
        c.glow(lx, floor_y - 320 * u, 480 * u, (255, 200, 120), 0.5)
    if "clock" in spec.props or rng.random() < 0.3:
        cx, cy, r = c.width * float(rng.uniform(0.1, 0.9)), floor_y - 0.5 * c.height, 40 * u
        c.ellipse((cx - r, cy - r, cx + r, cy + r), (240, 234, 220))
        c.line([(cx, cy), (cx, cy - r * 0.7)], (30, 30, 30), 4 * u)
        c.line([(cx, cy), (cx + r * 0.5, cy)], (30, 30, 30), 4 * u)


def draw_bookshelf(world: World, x: float, floor_y: float, height: float) -> None:
    c, rng = world.canvas, world.rng
    wood = world.tone((96, 62, 40))
    width = height * 0.55
    c.rect((x - width / 2, floor_y - height, x + width / 2, floor_y), wood, radius=0.02)
    shelves = 4
    for k in range(shelves):
        y1 = floor_y - height * (0.05 + k * 0.235)
        y0 = y1 - height * 0.2
        bx = x - width * 0.44
        while bx < x + width * 0.4:
            bw = width * float(rng.uniform(0.04, 0.09))
            colour = world.tone(tuple(int(v) for v in rng.choice(
                [(150, 40, 40), (40, 80, 140), (40, 110, 60), (200, 160, 60), (110, 60, 120)])))
            c.rect((bx, y0 + rng.uniform(0, 0.05) * height, bx + bw, y1), colour, label=False, radius=0)
            bx += bw + 1


# --- weather in front of everything --------------------------------------------------------


def paint_precipitation(world: World) -> None:
    c, u, rng, weather = world.canvas, world.u, world.rng, world.spec.weather
    if world.spec.indoor:
        return
    if weather in ("rain", "storm"):
        count = int(320 * c.width / c.short)
        xs, ys = rng.uniform(-0.1, 1.0, count) * c.width, rng.uniform(0, 1, count) * c.height
        lengths = rng.uniform(20, 50, count) * u
        for x, y, length in zip(xs, ys, lengths):
            c.line([(x, y), (x + length * 0.25, y + length)], (210, 220, 235, 90), max(1, 2 * u))
    if weather == "snow":
        count = int(260 * c.width / c.short)
        xs, ys = rng.uniform(0, c.width, count), rng.uniform(0, c.height, count)
        rs = rng.uniform(2, 6, count) * u
        for x, y, r in zip(xs, ys, rs):
            c.ellipse((x - r, y - r, x + r, y + r), (248, 250, 255, 220), label=False)


# --- figures ------------------------------------------------------------------------------


@dataclass
class Pose:
    cx: float
    top: float
    size: float
    """Pixel height of the whole figure (the canvas clips what falls outside)."""
    facing: int = 0
    """-1 looks left, +1 right, 0 at the viewer."""
    back: bool = False


class FigurePainter:
    """Draws one character from their design. Figure coordinates: 0 at the top of the head, 1 at
    the soles, x from the body's centre line, in units of the figure's height."""

    def __init__(self, canvas: Canvas, design: CharacterDesign, pose: Pose, tone):
        self.c, self.d, self.p = canvas, design, pose
        self.s = pose.size
        t = tone
        self.skin, self.hair, self.outfit = t(design.skin), t(design.hair), t(design.outfit)
        self.accent, self.trousers, self.eyes = t(design.accent), t(design.trousers), t(design.eyes)
        self.cloak = t(design.colour_of("cloak", design.accent))
        self.tone = t
        self.hh = design.head_ratio
        self.hw = self.hh * (0.9 if not design.human else 0.8)
        child = design.age == "child"
        self.sy = self.hh + 0.028
        self.sw = (0.145 if child else 0.122) * design.build
        self.hip_y = 0.58 if child else 0.55
        self.hip = (0.105 if child else 0.09) * design.build
        self.hand_side = pose.facing or 1
        self.line_w = max(1.0, self.s * 0.004)

    def X(self, v: float) -> float:
        return self.p.cx + v * self.s

    def Y(self, v: float) -> float:
        return self.p.top + v * self.s

    def box(self, x0: float, y0: float, x1: float, y1: float):
        return (self.X(x0), self.Y(y0), self.X(x1), self.Y(y1))

    def pts(self, *points):
        return [(self.X(x), self.Y(y)) for x, y in points]

    def paint(self) -> None:
        d, back = self.d, self.p.back
        if "wings" in d.items or d.species == "dragon":
            self.wings()
        if "cloak" in d.items and not back:
            self.cloak_shape()
        self.tail()
        self.back_hair()
        self.legs()
        self.torso()
        if "cloak" in d.items and back:
            self.cloak_shape()
        if "bag" in d.items:
            self.bag()
        self.arms()
        self.head()
        if "scarf" in d.items:
            self.scarf()
        self.held_items()

    # body

    def wings(self) -> None:
        colour = self.tone(self.d.colour_of("wings", scaled(self.d.skin, 0.8)))
        sw, sy = self.sw, self.sy
        outline = ((0.5, 0.02), (2.3, -0.12), (2.0, 0.1), (2.2, 0.2), (0.6, 0.2))  # a bat wing
        for side in (-1, 1):
            self.c.polygon(self.pts(*[(side * sw * x, sy + dy) for x, dy in outline]), colour)

    def cloak_shape(self) -> None:
        sw, sy = self.sw, self.sy
        self.c.polygon(self.pts((-sw * 1.05, sy - 0.01), (sw * 1.05, sy - 0.01), (sw * 1.7, 0.93), (-sw * 1.7, 0.93)),
                       self.cloak)

    def tail(self) -> None:
        kind = self.d.species
        if kind not in ("fox", "cat", "wolf", "dog", "dragon"):
            return
        side = -self.hand_side
        if kind == "dragon":
            self.c.polygon(self.pts((side * 0.02, 0.5), (side * 0.06, 0.64), (side * 0.34, 0.97)), self.skin)
        elif kind in ("fox", "wolf"):
            pts = ellipse_points(self.X(side * 0.17), self.Y(0.62), 0.05 * self.s, 0.15 * self.s, side * 0.7)
            self.c.polygon(pts, self.skin)
            tip = ellipse_points(self.X(side * 0.245), self.Y(0.51), 0.03 * self.s, 0.05 * self.s, side * 0.7)
            self.c.polygon(tip, self.tone((244, 240, 232)))
        else:
            pts = [(self.X(side * (0.05 + 0.14 * t)), self.Y(0.58 - 0.25 * t * t)) for t in np.linspace(0, 1, 8)]
            self.c.line(pts, self.skin, 0.025 * self.s, label=None)

    def legs(self) -> None:
        d = self.d
        hem = {"dress": 0.78, "robe": 0.93, "coat": 0.8}.get(d.garment, 0.0)
        leg_colour = self.skin if d.garment == "dress" else self.trousers
        shoe = self.tone(d.colour_of("boots", (54, 40, 34)))
        lw = 0.036 * d.build
        for side in (-1, 1):
            x_in = side * 0.012
            x_out = side * (0.012 + 2 * lw)
            leg_top = hem - 0.05 if hem else self.hip_y - 0.03
            self.c.rect(self.box(x_in, leg_top, x_out, 0.96), leg_colour, radius=0.3)
            toe = self.p.facing * 0.03
            self.c.ellipse(self.box(x_out - side * 0.004 + toe - 0.01, 0.935, x_in + toe + side * 0.006, 1.0), shoe)

    def torso(self) -> None:
        d, sw, sy, hip = self.d, self.sw, self.sy, self.hip
        hem, flare = {"coat": (0.8, hip * 1.3), "dress": (0.8, 0.19), "robe": (0.94, 0.16)}.get(
            d.garment, (self.hip_y + 0.03, hip))
        self.c.polygon(self.pts((-sw * 0.78, sy - 0.012), (sw * 0.78, sy - 0.012), (sw, sy + 0.035),
                                (hip, self.hip_y - 0.02), (flare, hem), (-flare, hem),
                                (-hip, self.hip_y - 0.02), (-sw, sy + 0.035)), self.outfit)
        if d.garment == "coat":
            self.c.line(self.pts((0, sy + 0.01), (0, hem)), scaled(self.outfit, 0.6), self.line_w * 1.2)
            for k in range(3):
                y = sy + 0.08 + k * 0.1
                r = 0.008
                self.c.ellipse(self.box(0.015 - r, y - r, 0.015 + r, y + r), self.tone((230, 200, 120)), label=False)
            self.c.polygon(self.pts((-0.055, sy - 0.012), (0.0, sy + 0.1), (0.055, sy - 0.012)),
                           self.accent if "scarf" not in d.items else scaled(self.outfit, 0.8))
        elif d.garment in ("dress", "robe"):
            sash = self.box(-hip * 1.05, self.hip_y - 0.06, hip * 1.05, self.hip_y - 0.03)
            self.c.rect(sash, self.accent, radius=0)
        else:
            belt = self.box(-hip, self.hip_y - 0.005, hip, self.hip_y + 0.025)
            self.c.rect(belt, scaled(self.trousers, 0.7), radius=0)
        if "tie" in d.items:
            self.c.polygon(self.pts((-0.012, sy), (0.012, sy), (0.018, sy + 0.16), (0, sy + 0.19),
                                    (-0.018, sy + 0.16)),
                           self.tone(d.colour_of("tie", d.accent)))
        if "necklace" in d.items:
            self.c.arc(self.box(-0.045, sy - 0.06, 0.045, sy + 0.05), 20, 160, self.tone((226, 184, 60)), self.line_w)

    def arms(self) -> None:
        holding = bool({"lantern", "staff", "sword", "book", "umbrella", "flower", "cane"} & self.d.items)
        for side in (-1, 1):
            shoulder = (side * (self.sw - 0.022), self.sy + 0.03)
            if holding and side == self.hand_side:
                wrist = (side * (self.sw + 0.07), 0.46)
            else:
                wrist = (side * (self.sw + 0.018), self.hip_y - 0.02)
            self.limb(shoulder, wrist, 0.052 * self.d.build ** 0.5, self.outfit)
            r = 0.026
            self.c.ellipse(self.box(wrist[0] - r, wrist[1] - r * 0.6, wrist[0] + r, wrist[1] + r * 1.4),
                           self.tone(self.d.colour_of("gloves", self.d.skin)))

    def limb(self, a, b, width: float, colour: RGB) -> None:
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = math.hypot(dx, dy) or 1.0
        px, py = -dy / n * width / 2, dx / n * width / 2
        label = self.c.new_label()
        self.c.polygon(self.pts((a[0] + px, a[1] + py), (b[0] + px, b[1] + py), (b[0] - px, b[1] - py),
                                (a[0] - px, a[1] - py)), colour, label)
        r = width / 2
        self.c.ellipse(self.box(a[0] - r, a[1] - r, a[0] + r, a[1] + r), colour, label)

    def bag(self) -> None:
        side = -self.hand_side
        colour = self.tone(self.d.colour_of("bag", (120, 84, 50)))
        self.c.line(self.pts((-side * self.sw * 0.7, self.sy), (side * self.hip, self.hip_y - 0.04)),
                    scaled(colour, 0.7), self.s * 0.012)
        pouch = self.box(side * (self.hip - 0.02), self.hip_y - 0.08, side * (self.hip + 0.08), self.hip_y + 0.02)
        self.c.rect(pouch, colour)

    def scarf(self) -> None:
        colour = self.tone(self.d.colour_of("scarf", self.d.accent))
        label = self.c.new_label()
        wrap = self.box(-self.hw * 0.62, self.hh * 0.9, self.hw * 0.62, self.sy + 0.025)
        self.c.rect(wrap, colour, label, radius=0.45)
        side = -self.hand_side
        self.c.rect(self.box(side * self.hw * 0.1, self.sy, side * self.hw * 0.45, self.sy + 0.17), colour, label,
                    radius=0.2)

    # head

    def back_hair(self) -> None:
        style, hw, hh = self.d.hair_style, self.hw, self.hh
        if style in ("long", "braid", "bob") and not self.p.back:
            bottom = hh * 1.02 if style == "bob" else hh + 0.1
            self.c.rect(self.box(-hw * 0.62, hh * 0.15, hw * 0.62, bottom), self.hair, radius=0.35)
        if style == "ponytail" and not self.p.back:
            side = -(self.p.facing or 1)
            pts = ellipse_points(self.X(side * hw * 0.62), self.Y(hh * 0.75), hw * 0.2 * self.s, hh * 0.5 * self.s,
                                 side * 0.3)
            self.c.polygon(pts, self.hair)
        if self.d.hat == "hood":
            self.c.ellipse(self.box(-hw * 0.72, -hh * 0.12, hw * 0.72, hh * 1.08), scaled(self.cloak, 0.85))

    def head(self) -> None:
        d, hw, hh = self.d, self.hw, self.hh
        skin = self.skin
        neck = 0.03 if d.age == "child" else 0.026
        self.c.rect(self.box(-neck, hh * 0.8, neck, self.sy + 0.01), scaled(skin, 0.88), radius=0)
        self.ears()
        if d.species == "robot":
            self.c.rect(self.box(-hw / 2, 0, hw / 2, hh), skin, radius=0.25)
        else:
            self.c.ellipse(self.box(-hw / 2, 0, hw / 2, hh), skin)
        if self.p.back:
            self.back_of_head()
        else:
            self.face()
            self.front_hair()
        self.hat()

    def ears(self) -> None:
        d, hw, hh = self.d, self.hw, self.hh
        inner = self.tone((236, 160, 170))
        if d.species in ("fox", "cat", "wolf", "dog"):
            for side in (-1, 1):
                self.c.polygon(self.pts((side * hw * 0.12, hh * 0.12), (side * hw * 0.5, hh * 0.3),
                                        (side * hw * 0.46, -hh * 0.32)), self.skin)
                self.c.polygon(self.pts((side * hw * 0.22, hh * 0.1), (side * hw * 0.44, hh * 0.22),
                                        (side * hw * 0.42, -hh * 0.15)), inner, label=False)
        elif d.species == "rabbit":
            for side in (-1, 1):
                self.c.ellipse(self.box(side * hw * 0.08, -hh * 0.75, side * hw * 0.36, hh * 0.2), self.skin)
                self.c.ellipse(self.box(side * hw * 0.15, -hh * 0.62, side * hw * 0.29, hh * 0.1), inner, label=False)
        elif d.species in ("bear", "mouse"):
            r = hw * (0.2 if d.species == "bear" else 0.3)
            for side in (-1, 1):
                cx = side * hw * 0.38
                self.c.ellipse(self.box(cx - r, hh * 0.02 - r, cx + r, hh * 0.02 + r), self.skin)
        elif d.species == "dragon":
            horn = self.tone((236, 220, 170))
            for side in (-1, 1):
                self.c.polygon(self.pts((side * hw * 0.12, hh * 0.1), (side * hw * 0.34, hh * 0.16),
                                        (side * hw * 0.36, -hh * 0.3)), horn)
        elif d.species == "robot":
            self.c.line(self.pts((0, 0), (0, -hh * 0.3)), (60, 60, 70), self.line_w * 1.5)
            r = hw * 0.08
            self.c.ellipse(self.box(-r, -hh * 0.3 - r, r, -hh * 0.3 + r), self.accent)
        elif d.hair_style in ("short", "bald", "spiky", "curly", "bun"):
            for side in (-1, 1):
                ear = self.box(side * hw * 0.56, hh * 0.42, side * hw * 0.42, hh * 0.66)
                self.c.ellipse(ear, scaled(self.skin, 0.93))

    def back_of_head(self) -> None:
        d, hw, hh = self.d, self.hw, self.hh
        if d.human and d.hair_style != "bald":
            self.c.ellipse(self.box(-hw * 0.53, -0.008, hw * 0.53, hh * 0.92), self.hair)
            if d.hair_style in ("long", "braid", "ponytail"):
                self.c.rect(self.box(-hw * 0.55, hh * 0.4, hw * 0.55, hh + 0.09), self.hair, radius=0.35)
            if d.hair_style == "bun":
                self.c.ellipse(self.box(-hw * 0.22, -hh * 0.2, hw * 0.22, hh * 0.18), self.hair)

    def face(self) -> None:
        d, hw, hh, f = self.d, self.hw, self.hh, self.p.facing
        px = hh * self.s
        if px < 9:
            return
        shift = f * hw * 0.12
        if not d.human and d.species != "robot":
            muzzle = mix(d.skin, (250, 246, 240), 0.6)
            self.c.ellipse(self.box(shift - hw * 0.26, hh * 0.58, shift + hw * 0.26, hh * 0.95), self.tone(muzzle))
            self.c.ellipse(self.box(shift + f * hw * 0.05 - hw * 0.07, hh * 0.6, shift + f * hw * 0.05 + hw * 0.07,
                                    hh * 0.7), (30, 24, 24), label=False)
        if "beard" in d.items:
            self.c.polygon(self.pts((-hw * 0.49, hh * 0.55), (hw * 0.49, hh * 0.55), (hw * 0.36, hh * 0.98),
                                    (shift, hh * 1.18), (-hw * 0.36, hh * 0.98)), self.hair)
        self.eyes_and_brows(shift, px)
        self.mouth_and_nose(shift, px)
        if "freckles" in d.items or d.age == "child":
            blush = (240, 120, 130, 70) if d.age == "child" else (150, 90, 60, 120)
            for side in (-1, 1):
                cx = shift + side * hw * 0.27
                self.c.ellipse(self.box(cx - hw * 0.09, hh * 0.68, cx + hw * 0.09, hh * 0.78), blush, label=False)
        if "glasses" in d.items:
            rim = self.tone(d.colour_of("glasses", (40, 34, 30)))
            for side in (-1, 1):
                cx = shift + side * hw * 0.2
                self.c.ring(self.box(cx - hw * 0.15, hh * 0.45, cx + hw * 0.15, hh * 0.66), rim, self.line_w * 1.3)
            self.c.line(self.pts((shift - hw * 0.05, hh * 0.54), (shift + hw * 0.05, hh * 0.54)), rim, self.line_w)

    def eyes_and_brows(self, shift: float, px: float) -> None:
        d, hw, hh = self.d, self.hw, self.hh
        ey = hh * 0.56
        big = 1.3 if d.age == "child" else 1.0
        for side in (-1, 1):
            ex = shift + side * hw * 0.2
            if d.species == "robot":
                lens = self.box(ex - hw * 0.1, ey - hh * 0.05, ex + hw * 0.1, ey + hh * 0.05)
                self.c.rect(lens, self.eyes, label=False)
                continue
            rx, ry = hw * 0.085 * big, hh * 0.07 * big
            if px < 40:
                self.c.ellipse(self.box(ex - rx * 0.7, ey - ry * 0.8, ex + rx * 0.7, ey + ry * 0.8), (30, 24, 24),
                               label=False)
                continue
            look = self.p.facing * rx * 0.3
            self.c.ellipse(self.box(ex - rx, ey - ry, ex + rx, ey + ry), (250, 248, 244), label=False)
            ir = ry * 0.85
            iris = self.box(ex + look - ir * 0.85, ey - ir, ex + look + ir * 0.85, ey + ir)
            self.c.ellipse(iris, self.eyes, label=False)
            pr = ir * 0.5
            self.c.ellipse(self.box(ex + look - pr, ey - pr, ex + look + pr, ey + pr), (16, 14, 16), label=False)
            hr = ir * 0.3
            self.c.ellipse(self.box(ex + look - ir * 0.45 - hr, ey - ir * 0.45 - hr, ex + look - ir * 0.45 + hr,
                                    ey - ir * 0.45 + hr), (255, 255, 255), label=False)
            brow = scaled(self.hair, 0.7) if d.human else scaled(self.skin, 0.55)
            self.c.line(self.pts((ex - rx * 1.1, ey - ry * 1.9), (ex + rx * 1.1, ey - ry * 2.1 + side * ry * 0.2)),
                        brow, max(1.0, px * 0.025))

    def mouth_and_nose(self, shift: float, px: float) -> None:
        d, hw, hh, f = self.d, self.hw, self.hh, self.p.facing
        if d.species == "robot":
            for k in range(3):
                y = hh * (0.76 + k * 0.05)
                self.c.line(self.pts((shift - hw * 0.18, y), (shift + hw * 0.18, y)), (60, 64, 72), self.line_w)
            return
        lip = (120, 50, 50) if d.human else (40, 30, 30)
        w = max(1.0, px * 0.02)
        if d.human and px >= 20:
            nose = scaled(self.skin, 0.82)
            tip = shift + f * hw * 0.1
            self.c.line(self.pts((shift + f * hw * 0.03, hh * 0.6), (tip, hh * 0.72), (shift, hh * 0.74)), nose, w)
        self.c.arc(self.box(shift - hw * 0.13, hh * 0.72, shift + hw * 0.13, hh * 0.84), 20, 160, lip, w * 1.2)

    def front_hair(self) -> None:
        d, hw, hh, f = self.d, self.hw, self.hh, self.p.facing
        style, hair = d.hair_style, self.hair
        if style in ("none",) or d.hat in ("hood",):
            return
        off = -f * hw * 0.06
        if style == "tuft":
            tuft = self.pts((off - hw * 0.12, hh * 0.05), (off + hw * 0.02, -hh * 0.1), (off + hw * 0.14, hh * 0.06))
            self.c.polygon(tuft, hair)
            return
        if style == "bald":
            for side in (-1, 1):
                self.c.ellipse(self.box(side * hw * 0.54, hh * 0.3, side * hw * 0.36, hh * 0.6), hair)
            return
        label = self.c.new_label()
        top = -hh * (0.1 if style != "curly" else 0.2)
        hairline = hh * 0.38  # the chord's flat edge: halfway down its box
        self.c.chord(self.box(off - hw * 0.55, top, off + hw * 0.55, 2 * hairline - top), 180, 360, hair, label)
        for k in (-1, 0, 1):  # a fringe, hanging from the hairline
            x = off + k * hw * 0.22
            self.c.polygon(self.pts((x - hw * 0.16, hairline - hh * 0.02), (x + hw * 0.16, hairline - hh * 0.02),
                                    (x + k * hw * 0.05, hairline + hh * 0.13)), hair, label)
        if style in ("long", "braid", "ponytail", "bun", "bob"):
            for side in (-1, 1):
                lock = self.box(side * hw * 0.56, hh * 0.3, side * hw * 0.4, hh * (0.95 if style == "long" else 0.6))
                self.c.rect(lock, hair, label, radius=0.4)
        if style == "bun":
            self.c.ellipse(self.box(off - hw * 0.22, -hh * 0.24, off + hw * 0.22, hh * 0.12), hair)
        if style == "curly":
            for k in range(7):
                a = math.pi * (1.05 + k / 6 * 0.9)
                cx, cy = off + math.cos(a) * hw * 0.5, hh * 0.4 + math.sin(a) * hh * 0.44
                r = hw * 0.15
                self.c.ellipse(self.box(cx - r, cy - r, cx + r, cy + r), hair, label)
        if style == "spiky":
            spikes = [(off + hw * (k / 3.0 - 0.55), -hh * (0.12 if k % 2 else -0.12)) for k in range(5)]
            self.c.polygon(self.pts((off - hw * 0.55, hh * 0.35), *spikes, (off + hw * 0.55, hh * 0.35)), hair, label)
        if style == "braid":
            side = self.hand_side
            for k in range(6):
                cx, cy = side * (hw * 0.45 + k * 0.005), hh * 0.75 + k * hh * 0.22
                r = hw * 0.13
                self.c.ellipse(self.box(cx - r, cy - r * 1.2, cx + r, cy + r * 1.2), hair, label)
            cy = hh * 0.75 + 6 * hh * 0.22
            self.c.rect(self.box(side * hw * 0.4, cy - hh * 0.12, side * hw * 0.6, cy - hh * 0.04),
                        self.tone(d.colour_of("ribbon", d.accent)))

    def hat(self) -> None:
        d, hw, hh = self.d, self.hw, self.hh
        kind = d.hat
        colour = self.tone(d.colour_of("hat", d.colour_of("cap", d.accent)))
        if kind in ("brim", "top"):
            crown_top = -hh * (0.75 if kind == "top" else 0.3)
            self.c.rect(self.box(-hw * 0.46, crown_top, hw * 0.46, hh * 0.26), colour, radius=0.15)
            band = self.box(-hw * 0.46, hh * 0.12, hw * 0.46, hh * 0.22)
            self.c.rect(band, scaled(colour, 0.6), label=False, radius=0)
            self.c.ellipse(self.box(-hw * 0.9, hh * 0.14, hw * 0.9, hh * 0.34), scaled(colour, 0.9))
        elif kind == "chef":
            white = self.tone((246, 246, 242))
            label = self.c.new_label()
            self.c.rect(self.box(-hw * 0.4, -hh * 0.35, hw * 0.4, hh * 0.26), white, label, radius=0.1)
            for dx in (-0.25, 0.0, 0.25):
                r = hw * 0.26
                self.c.ellipse(self.box(dx * hw - r, -hh * 0.45 - r, dx * hw + r, -hh * 0.45 + r), white, label)
        elif kind == "pointed":
            tip = -self.p.facing * hw * 0.5 - hw * 0.2
            self.c.polygon(self.pts((-hw * 0.46, hh * 0.24), (hw * 0.46, hh * 0.24), (tip, -hh * 1.25)), colour)
            self.c.ellipse(self.box(-hw * 0.95, hh * 0.13, hw * 0.95, hh * 0.34), scaled(colour, 0.9))
        elif kind in ("cap", "beanie"):
            self.c.chord(self.box(-hw * 0.56, -hh * 0.06, hw * 0.56, hh * 0.7), 180, 360, colour)
            if kind == "beanie":
                r = hw * 0.12
                self.c.ellipse(self.box(-r, -hh * 0.08 - r, r, -hh * 0.08 + r), scaled(colour, 1.2))
            else:
                f = self.p.facing
                self.c.ellipse(self.box(-hw * 0.4 + f * hw * 0.35, hh * 0.24, hw * 0.4 + f * hw * 0.35, hh * 0.36),
                               scaled(colour, 0.8))
        elif kind == "crown":
            gold = self.tone((226, 180, 50))
            self.c.polygon(self.pts((-hw * 0.4, hh * 0.12), (hw * 0.4, hh * 0.12), (hw * 0.42, -hh * 0.2),
                                    (hw * 0.2, -hh * 0.04), (0, -hh * 0.26), (-hw * 0.2, -hh * 0.04),
                                    (-hw * 0.42, -hh * 0.2)), gold)
        elif kind == "helmet":
            self.c.ellipse(self.box(-hw * 0.72, -hh * 0.16, hw * 0.72, hh * 1.1), (210, 236, 255, 70), label=False)
            self.c.ring(self.box(-hw * 0.72, -hh * 0.16, hw * 0.72, hh * 1.1), (230, 240, 250), self.line_w * 1.5)
        elif kind == "hood":
            self.c.chord(self.box(-hw * 0.66, -hh * 0.12, hw * 0.66, hh * 0.75), 180, 360, self.cloak)

    # carried things

    def held_items(self) -> None:
        d, side = self.d, self.hand_side
        hx, hy = side * (self.sw + 0.07), 0.46
        if "lantern" in d.items:
            self.c.line(self.pts((hx, hy), (hx, hy + 0.03)), (50, 44, 40), self.line_w)
            self.c.rect(self.box(hx - 0.03, hy + 0.03, hx + 0.03, hy + 0.11), (64, 54, 44), radius=0.2)
            self.c.rect(self.box(hx - 0.02, hy + 0.045, hx + 0.02, hy + 0.095), (255, 224, 130), label=False)
            self.c.glow(self.X(hx), self.Y(hy + 0.07), self.s * 0.4, (255, 200, 110), 0.45)
        elif "staff" in d.items:
            self.c.line(self.pts((hx, -0.02), (hx, 0.99)), self.tone((110, 76, 46)), self.s * 0.016, label=None)
            r = 0.028
            self.c.ellipse(self.box(hx - r, -0.05 - r, hx + r, -0.05 + r), self.tone((120, 220, 240)))
            self.c.glow(self.X(hx), self.Y(-0.05), self.s * 0.2, (120, 220, 255), 0.5)
        elif "cane" in d.items:
            cane = self.pts((hx, hy), (hx + side * 0.02, 0.99))
            self.c.line(cane, self.tone((90, 60, 40)), self.s * 0.014, label=None)
        elif "sword" in d.items:
            self.c.polygon(self.pts((hx - 0.008, hy), (hx + 0.008, hy), (hx + side * 0.14 + 0.006, hy + 0.32),
                                    (hx + side * 0.14 - 0.006, hy + 0.33)), self.tone((210, 214, 222)))
            self.c.rect(self.box(hx - 0.03, hy - 0.006, hx + 0.03, hy + 0.01), self.tone((150, 110, 50)))
        elif "umbrella" in d.items:
            colour = self.tone(d.colour_of("umbrella", d.accent))
            self.c.line(self.pts((hx, hy), (hx * 0.5, -0.12)), (60, 50, 44), self.s * 0.01)
            self.c.chord(self.box(hx * 0.5 - 0.3, -0.28, hx * 0.5 + 0.3, 0.04), 180, 360, colour)
        elif "book" in d.items:
            book = self.box(hx - 0.045, hy - 0.02, hx + 0.045, hy + 0.045)
            self.c.rect(book, self.tone(d.colour_of("book", (140, 40, 40))))
        elif "flower" in d.items:
            r = 0.02
            self.c.ellipse(self.box(hx - r, hy - 0.06 - r, hx + r, hy - 0.06 + r), self.tone((236, 80, 110)))
        if "camera" in d.items:
            self.c.rect(self.box(-0.04, self.sy + 0.1, 0.04, self.sy + 0.15), (40, 40, 46))


def draw_figure(canvas: Canvas, design: CharacterDesign, pose: Pose, tone=lambda c: c) -> None:
    FigurePainter(canvas, design, pose, tone).paint()


def figure_tone(world: World):
    """Characters take half the scene's ambient tint, so they stay recognisable at night."""
    ambient = tuple(0.5 + 0.5 * a for a in world.ambient)
    return lambda colour: scaled(colour, ambient)  # type: ignore[arg-type]


# --- framing ------------------------------------------------------------------------------

HORIZON = {"establishing": 0.6, "wide": 0.58, "medium": 0.56, "close-up": 0.55, "over-the-shoulder": 0.55}


def frame_figures(world: World, shot: Shot, designs: dict[str, CharacterDesign]) -> list[tuple[str, Pose]]:
    """Where each of the shot's characters stands and how big, by shot type."""
    ids = [cid for cid in shot.characters if cid in designs]
    if not ids:
        return []
    w, h, rng = world.w, world.h, world.rng
    portrait = h > w
    kind = shot.shot_type
    if kind in ("establishing", "wide"):
        size = h * (0.2 if kind == "establishing" else 0.44) * (0.75 if portrait else 1.0)
        centre = w * float(rng.uniform(0.32, 0.68))
        gap = size * 0.42
        feet = h * (0.9 if kind == "establishing" else 0.95)
        return [(cid, _standing(designs[cid], centre + (i - (len(ids) - 1) / 2) * gap, feet, size, i, len(ids)))
                for i, cid in enumerate(ids)]
    if kind == "close-up":
        d = designs[ids[0]]
        head = min(h * 0.42, w * 0.55)
        size = head / d.head_ratio
        cx = w * (0.5 + float(rng.choice([-1, 1])) * float(rng.uniform(0.06, 0.14)))
        facing = 0 if rng.random() < 0.4 else (1 if cx < w / 2 else -1)
        return [(ids[0], Pose(cx, h * (0.3 if portrait else 0.14), size, facing))]
    if kind == "over-the-shoulder":
        return _over_the_shoulder(world, ids, designs)
    n = min(len(ids), 3)
    size = min(h * 1.3, w / (n * 0.34)) if not portrait else min(h * 0.95, w / (n * 0.34))
    xs = [w * (0.5 + (i - (n - 1) / 2) * (0.62 / max(1, n - 1) if n > 1 else 0)) for i in range(n)]
    xs = [x + w * float(rng.uniform(-0.04, 0.04)) for x in xs]
    poses = []
    for i, (cid, x) in enumerate(zip(ids[:n], xs)):
        d = designs[cid]
        facing = 0 if n == 1 else (1 if x < w / 2 else -1)
        poses.append((cid, Pose(x, h * (0.14 if not portrait else 0.28) + size * (1 - d.height) * 0.3,
                                size * d.height ** 0.5, facing)))
    return poses


def _standing(design: CharacterDesign, x: float, feet: float, size: float, i: int, n: int) -> Pose:
    height = size * design.height
    facing = 0 if n == 1 else (1 if i < (n - 1) / 2 else -1 if i > (n - 1) / 2 else 0)
    return Pose(x, feet - height, height, facing)


def _over_the_shoulder(world: World, ids: list[str], designs: dict[str, CharacterDesign]) -> list[tuple[str, Pose]]:
    w, h = world.w, world.h
    side = 1 if world.rng.random() < 0.5 else -1
    listener = ids[0] if len(ids) > 1 else ""
    speakers = ids[1:] if len(ids) > 1 else ids
    poses = []
    for i, cid in enumerate(speakers[:2]):
        d = designs[cid]
        head = min(h * 0.24, w * 0.3)
        x = w * (0.5 - side * (0.14 - 0.2 * i))
        poses.append((cid, Pose(x, h * (0.2 if h <= w else 0.3), head / d.head_ratio, side)))
    head = min(h * 0.4, w * 0.5)
    poses.append((listener, Pose(w * (0.5 + side * 0.36), h * 0.3 if h <= w else h * 0.5, head / 0.142, -side,
                                 back=True)))
    return poses


# --- the painter --------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType
        return ImageFont.load_default()


class ProceduralPainter:
    """Draws character sheets and keyframes from words alone (see the module docstring)."""

    name = "procedural"

    def character_sheet(self, script: Script, character: Character, size: tuple[int, int],
                        seed: int) -> Image.Image:
        """Full figure, bust, colour swatches and name plate. The seed is not needed: a sheet is
        the character's design, which never depends on a seed."""
        style = styles.STYLE_SPECS[script.style]
        canvas = Canvas(styles.render_size(script.style, size), style.roundness)
        plate = paint_sheet(canvas, design_for(character))
        picture = styles.stylize(script.style, canvas.image, canvas.labels, canvas.light_map(), size)
        label_sheet(picture, character, plate, canvas.width)
        return picture

    def keyframe(self, script: Script, scene: Scene, shot: Shot, sheets: dict[str, Image.Image],
                 size: tuple[int, int], seed: int) -> Image.Image:
        """The shot's picture. `sheets` are not read: each figure is drawn from the same design
        as its sheet, derived again from the `Character`, so they match without sampling."""
        style = styles.STYLE_SPECS[script.style]
        canvas = Canvas(styles.render_size(script.style, size), style.roundness)
        world = make_world(script, scene, shot, canvas, style, seed)
        paint_backdrop(world)
        paint_cast(world, shot, {c.id: design_for(c) for c in script.characters})
        paint_precipitation(world)
        return styles.stylize(script.style, canvas.image, canvas.labels, canvas.light_map(), size)


def paint_backdrop(world: World) -> None:
    if world.spec.indoor:
        paint_interior(world)
    else:
        paint_outdoors(world)
    bake_lights(world.canvas, world.style.light_gain)


def paint_cast(world: World, shot: Shot, designs: dict[str, CharacterDesign]) -> None:
    """The shot's characters, framed by shot type; the backdrop goes soft behind close framings."""
    canvas, style = world.canvas, world.style
    poses = frame_figures(world, shot, designs)
    if poses and shot.shot_type in ("medium", "close-up", "over-the-shoulder") and style.depth_of_field:
        blur_backdrop(canvas, 0.012 if shot.shot_type == "medium" else 0.02)
    tone = figure_tone(world)
    for cid, pose in poses:
        if not pose.back:
            draw_figure(canvas, designs[cid], pose, tone)
    for cid, pose in poses:  # the near shoulder of an over-the-shoulder goes on top
        if pose.back:
            paint_foreground_shoulder(canvas, designs.get(cid, stranger_design()), pose, tone,
                                      soft=style.name != "pixel-art")


def make_world(script: Script, scene: Scene, shot: Shot, canvas: Canvas, style: styles.StyleSpec,
               seed: int) -> World:
    spec = scene_spec(script, scene, shot)
    rng = rng_for("shot", seed, shot.id)
    scene_key = stable_int("scene", script.title, scene.index, scene.setting)
    horizon = canvas.height * (HORIZON[shot.shot_type] + float(rng.uniform(-0.03, 0.03)))
    if canvas.height > canvas.width:
        horizon += canvas.height * 0.05
    haze = {"fog": 0.85, "snow": 0.5, "rain": 0.55, "storm": 0.5}.get(spec.weather, 0.38)
    ambient = AMBIENT[spec.time]
    if spec.indoor:
        ambient = tuple(0.55 + 0.45 * a for a in ambient) if spec.time != "night" else (0.72, 0.64, 0.58)
    if spec.weather in ("rain", "storm"):
        ambient = tuple(a * k for a, k in zip(ambient, (0.82, 0.85, 0.9)))
    return World(canvas, spec, style, scene_key, rng, horizon, float(rng.uniform(-0.6, 0.6)),
                 sky_colours(spec, style), haze, ambient)  # type: ignore[arg-type]


def bake_lights(canvas: Canvas, gain: float) -> None:
    """Light the backdrop now, so its glows stay behind the figures instead of shining on them."""
    light = canvas.light_map()
    if light is None:
        return
    canvas.image.paste(Image.fromarray(styles.add_light_bytes(np.asarray(canvas.image), light, gain)))
    canvas.lights.clear()


def blur_backdrop(canvas: Canvas, amount: float) -> None:
    """Depth of field: soften everything drawn so far and forget its shapes (no outlines)."""
    rgb, _ = canvas.arrays()
    blurred = styles.blur_downsampled(rgb.astype(np.float32), canvas.short * amount)
    canvas.set_arrays(np.clip(blurred, 0, 255).astype(np.uint8), np.zeros((canvas.height, canvas.width), np.uint8))


def paint_foreground_shoulder(canvas: Canvas, design: CharacterDesign, pose: Pose, tone, soft: bool = True) -> None:
    """The near character of an over-the-shoulder, darkened. `soft`: drawn small, blurred up and
    without shapes, so the style pass leaves it out of focus."""
    if not soft:
        draw_figure(canvas, design, pose, lambda c: scaled(tone(c), 0.55))
        return
    factor = 4
    small = Canvas((max(2, canvas.width // factor), max(2, canvas.height // factor)))
    shrunk = Pose(pose.cx / factor, pose.top / factor, pose.size / factor, pose.facing, back=True)
    draw_figure(small, design, shrunk, lambda c: scaled(tone(c), 0.5))
    size = (canvas.width, canvas.height)
    rgb_small, mask_small = small.arrays()
    fg = cv2.GaussianBlur(cv2.resize(rgb_small, size, interpolation=cv2.INTER_LINEAR).astype(np.float32), (0, 0), 2)
    alpha = (mask_small > 0).astype(np.float32)
    alpha = cv2.GaussianBlur(cv2.resize(alpha, size, interpolation=cv2.INTER_LINEAR), (0, 0), 3)[..., None]
    rgb, labels = canvas.arrays()
    out = rgb.astype(np.float32) * (1 - alpha) + fg * alpha
    labels[alpha[..., 0] > 0.3] = 0
    canvas.set_arrays(np.clip(out, 0, 255).astype(np.uint8), labels)


# --- character sheets ---------------------------------------------------------------------


def paint_sheet(canvas: Canvas, design: CharacterDesign) -> tuple[float, float, float, float]:
    """Backdrop, full figure, bust and swatches; returns the name plate's box (canvas px)."""
    w, h = canvas.width, canvas.height
    backdrop = mix((232, 226, 214), design.accent, 0.12)
    canvas.image.paste(gradient_image((w, h), (scaled(backdrop, 1.04), backdrop, scaled(backdrop, 0.86)), h))
    portrait = h >= w
    plate = (w * 0.05, h * 0.875, w * 0.95, h * 0.97)
    canvas.rect(plate, (246, 240, 226), radius=0.25)
    body = (0, h * 0.03, w * (0.56 if portrait else 0.4), h * 0.85)
    bust = (w * 0.56, h * 0.04, w * 0.96, h * 0.5) if portrait else (w * 0.42, h * 0.06, w * 0.74, h * 0.82)
    # full figure, on a floor shadow
    size = (body[3] - body[1]) * 0.88
    height = size * design.height
    feet = body[3] - (body[3] - body[1]) * 0.02
    cx = (body[0] + body[2]) / 2
    shadow = (cx - size * 0.18, feet - size * 0.025, cx + size * 0.18, feet + size * 0.02)
    canvas.ellipse(shadow, scaled(backdrop, 0.8), label=False)
    draw_figure(canvas, design, Pose(cx, feet - height, height, 0))
    paint_bust(canvas, design, bust)
    paint_swatches(canvas, design, bust, portrait)
    return plate


def paint_bust(canvas: Canvas, design: CharacterDesign, box) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    panel = Canvas((x1 - x0, y1 - y0), canvas.roundness, first_label=canvas.last_label)
    panel.image.paste(gradient_image(panel.image.size, (mix(design.accent, (255, 255, 255), 0.55),
                                                         mix(design.accent, (255, 255, 255), 0.3)), panel.height))
    panel.labels.paste(panel.new_label(), (0, 0, panel.width, panel.height))
    head = min(panel.height * 0.42, panel.width * 0.55)
    size = head / design.head_ratio
    draw_figure(panel, design, Pose(panel.width / 2, panel.height * 0.2, size, 1))
    canvas.rect((x0 - 3, y0 - 3, x1 + 3, y1 + 3), (60, 52, 48), radius=0.04)
    canvas.image.paste(panel.image, (x0, y0))
    canvas.labels.paste(panel.labels, (x0, y0))
    canvas.last_label = panel.last_label
    canvas.lights.extend(Light(l.x + x0, l.y + y0, l.radius, l.colour, l.strength) for l in panel.lights)


def paint_swatches(canvas: Canvas, design: CharacterDesign, bust, portrait: bool) -> None:
    w, h = canvas.width, canvas.height
    if portrait:
        x0, y0, x1, y1 = bust[0], bust[3] + h * 0.04, bust[2], h * 0.84
        cells = [(x0 + (x1 - x0) * (0.25 + 0.5 * (i % 2)), y0 + (y1 - y0) * (0.25 + 0.5 * (i // 2)))
                 for i in range(4)]
        r = min(x1 - x0, y1 - y0) * 0.2
    else:
        x0, y0, x1, y1 = w * 0.78, h * 0.08, w * 0.95, h * 0.82
        cells = [((x0 + x1) / 2, y0 + (y1 - y0) * (0.125 + 0.25 * i)) for i in range(4)]
        r = min(x1 - x0, (y1 - y0) / 4) * 0.38
    for (cx, cy), colour in zip(cells, design.palette):
        canvas.ellipse((cx - r, cy - r, cx + r, cy + r), colour)


def label_sheet(picture: Image.Image, character: Character, plate, drawn_width: int) -> None:
    """Name and role on the plate, drawn after the style pass so they stay legible."""
    k = picture.width / drawn_width
    x0, y0, x1, y1 = (v * k for v in plate)
    region = np.asarray(picture.crop((int(x0), int(y0), int(x1), int(y1))), dtype=np.float32)
    ink = (28, 28, 28) if region.mean() > 110 else (244, 244, 244)
    draw = ImageDraw.Draw(picture)
    name_font = _font(max(8, int((y1 - y0) * 0.48)))
    role_font = _font(max(7, int((y1 - y0) * 0.22)))
    cx = (x0 + x1) / 2
    draw.text((cx, y0 + (y1 - y0) * 0.36), character.name, fill=ink, font=name_font, anchor="mm")
    role = f"{character.role} · {character.age}"
    draw.text((cx, y0 + (y1 - y0) * 0.74), role, fill=ink, font=role_font, anchor="mm")
