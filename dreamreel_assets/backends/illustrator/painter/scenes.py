"""Scene descriptions: place, time of day, weather and props, read from the script's words."""

from __future__ import annotations

from dataclasses import dataclass

from dreamreel_assets.backends.illustrator.painter.basics import RGB, words_of
from dreamreel_assets.models import Scene, Script, Shot


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
