"""Character designs: everything that makes a character recognisable, from their `Character` alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from dreamreel_assets.backends.illustrator.painter.basics import RGB, mix, rng_for, scaled, words_of
from dreamreel_assets.models import Character


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
