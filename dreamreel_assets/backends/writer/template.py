"""The embedded script writer: a seeded template story engine that needs no model and no network.

A request becomes a story in four steps: read hints from the theme (who, where, what object),
cast two to four characters, plan the scenes along a story arc, then fill each scene with
narration drawn from per-genre and shared sentence banks until it reaches its share of the
spoken-word budget. Every random choice comes from one RNG seeded by a hash of the request, so
the same request always gives the same script.

Templates are plain `str.format` strings. The theme only ever enters as a slot *value*, so braces
or instructions inside it are inert text.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from dreamreel_assets.backends.writer import WORDS_PER_MINUTE
from dreamreel_assets.backends.writer.motion import shot_motion
from dreamreel_assets.languages import TEMPLATE_LANGUAGES, unwritable
from dreamreel_assets.models import (
    CAMERA_MOVES,
    NARRATOR,
    Character,
    FilmRequest,
    Line,
    Scene,
    Script,
    Shot,
)
from dreamreel_assets.timeline import speech_budget_s

# --- tunables ---------------------------------------------------------------------------------

WORD_FILL = 0.95
SHORT_FILL_FROM_S = 120.0
SHORT_FILM_FILL_CUT = 0.16
"""Share of the speech budget the narration aims for, leaving the voice a little room."""
SECONDS_PER_SHOT = 6.5
MIN_SHOTS_PER_SCENE = 3
SHORT_FILM_S = 120
"""Films shorter than this get three scenes."""
LONG_FILM_S = 480
"""Films this long or longer get five scenes."""
CLOSER_ZONE = 10
"""Below this many words left, a scene is topped up with short closing sentences."""
OPENER_MIN_WORDS = 25
"""A scene needs at least this many narration words before it gets a descriptive opener."""

ARCS: dict[int, tuple[str, ...]] = {
    3: ("setup", "complication", "resolution"),
    4: ("setup", "complication", "climax", "resolution"),
    5: ("setup", "complication", "turn", "climax", "resolution"),
}
BEAT_WEIGHT = {"setup": 1.1, "complication": 1.0, "turn": 0.9, "climax": 1.1, "resolution": 0.9}

COLOURS = (
    "red", "blue", "green", "yellow", "purple", "orange", "brown", "black", "white", "grey",
    "silver", "gold", "pink", "teal",
)

# --- genre vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class GenreKit:
    """Everything genre-specific: vocabulary, places, arc sentences, dialogue and titles."""

    noun: str
    hero_roles: tuple[str, ...]
    support_roles: tuple[str, ...]
    goals: tuple[str, ...]
    stakes: tuple[str, ...]
    things: tuple[str, ...]
    places: tuple[str, ...]
    times: tuple[tuple[str, str], ...]
    """(noun, adverbial) in story order, e.g. ("dusk", "at dusk")."""
    weathers: tuple[str, ...]
    """Noun phrases that read well after 'with' or 'there was'."""
    moods: tuple[str, ...]
    feelings: tuple[str, ...]
    sounds: tuple[str, ...]
    details: tuple[str, ...]
    """Whole clauses describing something seen, e.g. 'dust lay thick on every shelf'."""
    garments: tuple[str, ...]
    props: tuple[str, ...]
    actions: tuple[str, ...]
    titles: tuple[str, ...]
    beats: dict[str, tuple[str, ...]]
    atmosphere: tuple[str, ...]
    dialogue: dict[str, tuple[str, ...]]
    closers: tuple[str, ...]


MYSTERY = GenreKit(
    noun="mystery",
    hero_roles=("amateur sleuth", "night clerk"),
    support_roles=("retired detective", "nosy neighbour", "archivist", "harbour master", "quiet stranger"),
    goals=("follow the clues to their source", "prove what really happened", "find out who is behind it"),
    stakes=("the trail goes cold for good", "someone else gets there first", "the truth is buried again"),
    things=("the sealed envelope", "the missing ledger", "the old photograph"),
    places=(
        "the harbour archive", "the fog-bound pier", "the narrow back stair", "the shuttered post office",
        "the clockmaker's shop", "the station waiting room", "the attic study",
    ),
    times=(
        ("late afternoon", "in the late afternoon"), ("dusk", "at dusk"), ("nightfall", "at nightfall"),
        ("midnight", "at midnight"), ("the small hours", "in the small hours"), ("first light", "at first light"),
    ),
    weathers=(
        "a low fog rolling in", "thin rain ticking on the glass", "an orange glow of streetlamps in the mist",
        "a wind that rattles the shutters", "a shine of wet cobbles under the lamps",
        "a grey drizzle that will not lift",
    ),
    moods=("quiet", "watchful", "uneasy", "hushed", "careful", "curious"),
    feelings=("suspicion", "curiosity", "doubt", "unease", "certainty"),
    sounds=(
        "the tick of a distant clock", "a foghorn far out on the water", "the creak of a floorboard upstairs",
        "pages turning in an empty room", "a key turning somewhere below",
    ),
    details=(
        "dust lay thick on every shelf except one", "a chair stood pushed back as if someone had left in a hurry",
        "a cup of coffee on the desk was still faintly warm", "muddy footprints led straight to a blank wall",
        "a calendar hung open on the wrong month",
    ),
    garments=("trench coat", "wool overcoat", "tweed jacket", "knitted cardigan", "raincoat"),
    props=(
        "a small notebook with a black cover", "round silver glasses", "a pocket torch", "a red umbrella",
        "a magnifying glass with a gold rim",
    ),
    actions=(
        "examining {thing} under a lamp", "pinning notes to a wall of clues", "peering through a rain-streaked window",
        "following footprints along the floor", "shining a torch on a hidden mark", "comparing two faded photographs",
    ),
    titles=(
        "The Secret of the {Thing_n}", "What the {Thing_n} Knew", "The {Place_n} Riddle",
        "Nights at the {Place_n}",
    ),
    beats={
        "setup": (
            "Nobody in {place} paid much attention to {thing}, which was exactly why {hero} did.",
            "{Hero} had a habit of noticing small wrong things, and that evening there were several.",
            "The first clue was so ordinary that {hero} almost swept it away with the dust.",
            "Somewhere in town, someone already knew the answer, and they were counting on nobody asking.",
            "{Hero} wrote the date at the top of a fresh page and underlined it twice.",
        ),
        "complication": (
            "By morning {thing} had changed, and nobody would admit to touching it.",
            "{Ally} insisted there was a simple explanation, then could not give one.",
            "Every answer {hero} found opened two more questions, each sharper than the last.",
            "A name kept appearing in the margins, written in a hand that {hero} did not recognise.",
            "The more carefully {hero} looked, the less the story everyone told seemed to fit.",
        ),
        "turn": (
            "Then {hero} saw it: the clue had been in plain sight from the very first night.",
            "The pattern was not random at all; it was a message, and it was addressed to {him}.",
            "{Ally} went pale when {hero} laid the pages side by side.",
            "The one person with no reason to lie had been lying from the start.",
            "A single missing detail turned the whole puzzle upside down.",
        ),
        "climax": (
            "{Hero} laid every clue on the table and waited for someone to flinch.",
            "The truth came out slowly, then all at once, like water through a cracked dam.",
            "In the dim light, {hero} spoke the name aloud, and the room went silent.",
            "There was one last door to open, and behind it waited the answer to everything.",
            "{Ally} reached for {thing} at the same moment {hero} did.",
        ),
        "resolution": (
            "The case was closed, but {hero} kept one page of notes, just in case.",
            "What had seemed like a curse turned out to be a question someone had waited years to ask.",
            "{Place} looked the same as ever, though {hero} would never see it quite the same way again.",
            "{Hero} slept soundly for the first time in weeks, the mystery finally at rest.",
            "Some answers bring relief; this one brought a strange and welcome kind of peace.",
        ),
    },
    atmosphere=(
        "{Sound} was the only reply.",
        "The lamps threw long shadows, and every shadow seemed to be listening.",
        "Clues, {hero} thought, are only facts that have not been introduced yet.",
        "Every clock in {place} seemed to disagree about the time.",
        "The air smelled of old paper, wet wool and something harder to name.",
        "Nothing was missing, and yet something was wrong.",
        "Outside there was {weather}, and the town kept its secrets close.",
        "{Hero} turned the facts over again, looking for the one that did not belong.",
        "{Hero} counted the facts again, and again they came to one too many.",
        "Rain traced slow lines down the glass, like handwriting nobody could read.",
        "Every answer in {place} seemed to be hiding behind another question.",
        "Somebody had been here recently, and had tried very hard not to show it.",
    ),
    dialogue={
        "setup": ("Did you move this?", "That wasn't here yesterday.", "Write down everything, even the boring parts."),
        "complication": (
            "Someone is lying to us.", "Look at the handwriting. Same person.",
            "You're seeing patterns that aren't there.",
        ),
        "turn": ("It was never random. It was a message.", "We've been reading it backwards.", "Wait. Say that again."),
        "climax": ("Tell them what you did.", "It ends tonight, one way or another.", "Open it. We need to know."),
        "resolution": (
            "So that's how it happened.", "I'll keep the notebook, just in case.",
            "Some secrets want to be found.",
        ),
    },
    closers=(
        "Nothing moved.", "The clock ticked on.", "The fog gave nothing away.", "Somewhere, a door clicked shut.",
        "{Hero} kept watching.", "The question remained.", "And the rain kept falling softly.",
        "The answer was close now, very close.",
    ),
)

COMEDY = GenreKit(
    noun="comedy",
    hero_roles=("hapless assistant", "overconfident chef"),
    support_roles=(
        "know-it-all cousin", "grumpy landlord", "over-eager intern", "local busybody",
        "deadpan security guard",
    ),
    goals=("fix the mess without anyone noticing", "win the bet and keep some dignity", "pull off the big plan"),
    stakes=("the whole town finds out", "the big day turns into a disaster", "the landlord comes back"),
    things=("the wrong suitcase", "the prize-winning pie", "the borrowed tuba"),
    places=(
        "the cramped office lobby", "the village fete", "the busy food market", "the supermarket car park",
        "the community hall", "the laundrette", "the rooftop party",
    ),
    times=(
        ("early morning", "in the early morning"), ("mid-morning", "by mid-morning"), ("lunchtime", "at lunchtime"),
        ("the afternoon", "in the afternoon"), ("the evening rush", "during the evening rush"),
        ("closing time", "at closing time"),
    ),
    weathers=(
        "bright sunshine bouncing off every window", "a sudden pointless drizzle", "a gusty wind stealing hats",
        "cheerful summer heat", "one small cloud directly overhead", "a blinding glare off every window",
    ),
    moods=("ridiculous", "chaotic", "cheerful", "awkward", "absurd", "bouncy"),
    feelings=("embarrassment", "panic", "mischief", "glee", "confusion"),
    sounds=(
        "a car alarm that would not stop", "someone practising the trombone badly", "a chorus of squeaky shoes",
        "a pigeon complaining loudly", "distant applause for no clear reason",
    ),
    details=(
        "a sign hung upside down and nobody had noticed", "someone had stuck a googly eye on the fire extinguisher",
        "a pyramid of tins stood one nudge away from collapse", "a dog in a tiny hat watched from the doorway",
        "the coffee machine had been labelled DO NOT TRUST",
    ),
    garments=("striped shirt", "oversized cardigan", "chef's jacket", "tracksuit", "polka-dot dress"),
    props=(
        "a clipboard covered in crossed-out plans", "mismatched socks", "a wobbly paper crown",
        "a squeaky rubber chicken", "a bicycle helmet",
    ),
    actions=(
        "juggling too many boxes at once", "tripping over a mop bucket", "hiding behind a potted plant",
        "waving both arms in wild explanation", "stuck halfway through a door", "grinning at a very bad idea",
    ),
    titles=(
        "{Thing_n} Trouble", "A Very Bad Day at the {Place_n}", "The Great {Thing_n} Disaster",
        "Absolutely Nothing Went Wrong",
    ),
    beats={
        "setup": (
            "{Hero} had a plan, and like all of {his} plans, it was nearly foolproof.",
            "Nobody at {place} expected trouble before lunch, which was their first mistake.",
            "{Hero} woke up feeling confident, which historically had never been a good sign.",
            "It was supposed to be a perfectly normal day, and {hero} had even written that down.",
            "{Ally} took one look at the plan and quietly started looking for the exits.",
        ),
        "complication": (
            "Things went wrong in the usual order: slowly at first, then all at once, then with a trombone.",
            "{Thing} turned up exactly where it should not, in front of exactly the wrong person.",
            "{Hero} tried to fix one small mistake and accidentally created three larger ones.",
            "{Ally} offered to help, which made things considerably worse.",
            "By now there was a queue, a rumour and, somehow, a goat.",
        ),
        "turn": (
            "Then {hero} realised the disaster might actually be a brilliant idea in disguise.",
            "{Ally} laughed so hard that the whole ridiculous situation suddenly made sense.",
            "The two rivals discovered they had been making the same mistake in opposite directions.",
            "In a rare moment of clarity, {hero} put down the clipboard and listened.",
            "It turned out everyone had been too embarrassed to admit they had no idea what was going on.",
        ),
        "climax": (
            "The big moment arrived, and so did everything that could possibly go wrong.",
            "{Hero} made a dramatic leap, mostly on purpose.",
            "With the crowd watching, {hero} and {ally} improvised wildly and hoped for the best.",
            "{Thing} flew through the air in a long, beautiful, terrible arc.",
            "For one glorious second, the whole plan actually worked.",
        ),
        "resolution": (
            "Somehow, against all reason, it worked out, and nobody could quite explain how.",
            "{Hero} took a bow, {ally} took the credit, and both of them were happy.",
            "The town talked about it for weeks, mostly with affection.",
            "{Hero} swore never to make another plan, then immediately began making one.",
            "The mess got cleaned up eventually, though the goat stayed.",
        ),
    },
    atmosphere=(
        "Somewhere, {sound} made everything slightly worse.",
        "It was, by any measure, a lot.",
        "The situation was getting out of hand, and it had started out of hand.",
        "{Hero} tried very hard to look like someone who knew what was going on.",
        "A small crowd had gathered, as small crowds do whenever something is about to go badly.",
        "There was a brief, dignified silence, and then it ended.",
        "Even the pigeons seemed to be taking notes.",
        "In hindsight, the warning signs had been enormous and brightly coloured.",
        "{Hero} smiled the brave, wide smile of someone with no plan at all.",
        "Somewhere a dog barked, as if to say it had seen this coming.",
        "It was the sort of day that would make a very good story later, and a very bad day now.",
        "The laws of physics, {hero} felt, were being unreasonably strict.",
    ),
    dialogue={
        "setup": ("This is going to be easy.", "What could possibly go wrong?", "Trust me. I have a clipboard."),
        "complication": ("Why is there a goat?", "Okay. Don't panic. Slight panic.", "That was not the plan!"),
        "turn": (
            "Wait. What if we do it wrong on purpose?", "Are you laughing or crying?",
            "Huh. That's actually genius.",
        ),
        "climax": ("On three! No, on two!", "Everybody duck!", "Just keep smiling!"),
        "resolution": ("We should never do that again.", "Same time next week?", "I can't believe that worked."),
    },
    closers=(
        "Nobody moved.", "It did not go well.", "The goat watched.", "Somewhere, a kazoo sounded.", "{Hero} sighed.",
        "This was fine. Probably.", "Then things got sillier.", "Everyone pretended not to notice.",
    ),
)

DRAMA = GenreKit(
    noun="drama",
    hero_roles=("widowed teacher", "night-shift nurse"),
    support_roles=("estranged brother", "old friend", "neighbour's daughter", "landlady", "former student"),
    goals=("make peace with the past", "say what has gone unsaid for years", "hold the family together"),
    stakes=("the last chance slips away", "the silence becomes permanent", "the house is sold"),
    things=("the unopened letter", "the family photograph", "the old piano"),
    places=(
        "the small kitchen", "the hospital corridor", "the train platform", "the family house",
        "the empty concert hall", "the riverside bench", "the corner café",
    ),
    times=(
        ("early morning", "in the early morning"), ("morning", "in the morning"), ("the afternoon", "in the afternoon"),
        ("dusk", "at dusk"), ("evening", "in the evening"), ("late night", "late at night"),
    ),
    weathers=(
        "soft grey light through net curtains", "a steady autumn rain", "pale winter sunshine",
        "a warm wind carrying leaves", "low cloud over the rooftops", "a thin gold light",
    ),
    moods=("quiet", "tender", "heavy", "fragile", "wistful", "honest"),
    feelings=("regret", "longing", "tenderness", "grief", "hope"),
    sounds=(
        "a kettle beginning to sing", "rain on the window", "a piano played badly next door",
        "the hum of a distant train", "the clock on the mantel",
    ),
    details=(
        "two cups stood on the table though only one person was home", "an old coat still hung by the door",
        "a photograph had faded where the sun touched it", "the plants on the windowsill needed water",
        "a calendar still showed a circled date from years ago",
    ),
    garments=("wool cardigan", "raincoat", "linen shirt", "corduroy jacket", "cotton dress"),
    props=(
        "a worn leather bag", "reading glasses on a chain", "a thin silver ring", "a hand-knitted scarf",
        "a paper bag of oranges",
    ),
    actions=(
        "sitting alone at a kitchen table", "staring out of a rain-streaked window", "holding {thing} with both hands",
        "walking slowly along a corridor", "hesitating before knocking on a door", "laughing despite tears",
    ),
    titles=("The Last {Thing_n}", "What Remains at the {Place_n}", "Letters Never Sent", "The Quiet Between Us"),
    beats={
        "setup": (
            "{Hero} had built a careful life, and careful lives have very little room for surprises.",
            "There were things {hero} did not talk about, and the list had grown long.",
            "Every morning {hero} set out one cup, then stood for a moment looking at the second.",
            "{Place} had seen the best and worst of {hero}, and had kept both secrets.",
            "It had been years since anyone asked {hero} how {he} really was.",
        ),
        "complication": (
            "{Ally} arrived without warning, carrying an old argument like a suitcase.",
            "Old wounds, it turned out, had only been sleeping.",
            "{Hero} said the wrong thing, and then, worse, said nothing at all.",
            "{Thing} brought back a memory {hero} had spent years trying to forget.",
            "The distance between them could be measured in unsent letters.",
        ),
        "turn": (
            "Then {ally} said the one true thing neither of them had been brave enough to say.",
            "{Hero} saw, suddenly, how much the silence had cost them both.",
            "A small kindness from a stranger broke something open.",
            "It was not forgiveness yet, but it was the first step toward it.",
            "{Hero} realised that being right and being happy were not the same thing.",
        ),
        "climax": (
            "{Hero} stood at the door for a long time before finally knocking.",
            "Everything {hero} had held back for years came out in a single breath.",
            "They argued, and cried, and then, unexpectedly, they laughed.",
            "{Hero} picked up {thing} and, for the first time, did not put it away again.",
            "It was the hardest conversation of {his} life, and it lasted less than a minute.",
        ),
        "resolution": (
            "Nothing was fixed, not entirely, but something had begun to heal.",
            "{Hero} set out two cups, and this time both of them were used.",
            "The past did not disappear, but it grew lighter to carry.",
            "{Ally} stayed for dinner, and then for the evening, and then for a while.",
            "Some endings are quiet, and this was one of the good ones.",
        ),
    },
    atmosphere=(
        "{Sound} filled the silence between them.",
        "The house remembered everything, even the things nobody said.",
        "Grief, {hero} thought, is only love that has nowhere to go.",
        "The light moved slowly across the floor, as if it had all the time in the world.",
        "Some silences are empty; this one was full.",
        "{Hero} folded {his} hands and waited for the right words.",
        "Memories gathered like dust in the corners of the room.",
        "It was the kind of moment that looks small from the outside.",
        "{Hero} remembered a summer long ago, when everything had seemed simpler.",
        "There was so much to say, and no good place to begin.",
        "Outside, ordinary life went on, unaware of anything that mattered.",
        "{Ally} looked older than {hero} remembered, and kinder.",
    ),
    dialogue={
        "setup": ("I'm fine. Really.", "You should call more often.", "It's been a long time."),
        "complication": (
            "You left. That's what happened.", "Why now? After all these years?", "I didn't come to fight.",
        ),
        "turn": ("I was scared. I still am.", "I kept every letter.", "Maybe we were both wrong."),
        "climax": ("Please. Just listen to me.", "I'm sorry. I'm so sorry.", "Don't go. Not again."),
        "resolution": ("Stay for dinner?", "Thank you for coming back.", "Let's start again."),
    },
    closers=(
        "Neither of them moved.", "The kettle clicked off.", "The rain eased a little.", "{Hero} did not look away.",
        "It was enough, for now.", "Outside, the world went on.", "Something had shifted.", "The silence softened.",
    ),
)

FANTASY = GenreKit(
    noun="fantasy",
    hero_roles=("apprentice witch", "wandering tinker"),
    support_roles=("talking owl", "old hedge wizard", "river spirit", "proud knight", "forest guardian"),
    goals=("break the old enchantment", "return the stolen light", "keep a promise made to the moon"),
    stakes=("the magic fades forever", "winter swallows the valley", "the enchantment becomes permanent"),
    things=("the glowing acorn", "the silver key", "the singing lantern"),
    places=(
        "the enchanted forest", "the crooked tower", "the moonlit meadow", "the mossy stone bridge",
        "the hidden valley", "the crystal cave", "the village square",
    ),
    times=(
        ("dawn", "at dawn"), ("morning", "in the morning"), ("golden hour", "at golden hour"),
        ("twilight", "at twilight"), ("moonrise", "at moonrise"), ("midnight", "at midnight"),
    ),
    weathers=(
        "a haze of fireflies in the warm air", "silver mist curling between the trees", "a sky full of falling stars",
        "soft snow that glitters as it falls", "a shaft of gold light through ancient leaves",
        "a rainbow that will not fade",
    ),
    moods=("enchanted", "glimmering", "wondrous", "ancient", "dreamy", "magical"),
    feelings=("wonder", "awe", "longing", "courage", "delight"),
    sounds=(
        "bells ringing with no one to ring them", "the trees whispering in an old language", "a far-off dragon's sigh",
        "wind chimes made of icicles", "the hum of bees that glowed like sparks",
    ),
    details=(
        "mushrooms glowed faintly along the path", "the stones of the bridge were carved with forgotten runes",
        "a door stood in the middle of the meadow with nothing behind it",
        "tiny lights moved inside the hollow of an oak",
        "the river ran uphill for a short way, then thought better of it",
    ),
    garments=("hooded cloak", "embroidered tunic", "patched travelling coat", "velvet dress", "knitted shawl"),
    props=(
        "a gnarled wooden staff", "a pouch of glittering seeds", "a tiny bell on a ribbon", "a crown of woven twigs",
        "a lantern with a blue flame",
    ),
    actions=(
        "holding up {thing} as it begins to glow", "stepping onto a bridge of light", "reading runes carved into stone",
        "feeding sparks to a tiny flame", "bowing to an ancient tree", "watching stars fall into a lake",
    ),
    titles=(
        "The {Thing_n} of Moonrise", "The Enchanted {Thing_n}", "Beyond the {Place_n}",
        "A Spell for the {Place_n}",
    ),
    beats={
        "setup": (
            "In a land where the rivers still remembered their names, {hero} lived a small and quiet life.",
            "Magic had grown thin in {place}, like the last thread of an old tapestry.",
            "{Hero} had always been told that wishes were for children, and {he} had never quite believed it.",
            "On the night {thing} began to glow, every cat in the village stopped to watch.",
            "The old stories said the door would open once in a hundred years, and nobody remembered when it last had.",
        ),
        "complication": (
            "But magic always asks for something in return, and this magic was hungry.",
            "{Ally} warned that the forest did not welcome visitors, and the forest seemed to agree.",
            "The enchantment began to unravel, and strange things slipped through the gaps.",
            "{Thing} grew heavier with every step, as if it did not wish to be carried.",
            "A shadow crossed the moon, and the birds fell silent all at once.",
        ),
        "turn": (
            "{Hero} discovered that the spell could not be broken, only changed.",
            "The creature everyone feared turned out to be guarding something precious.",
            "In an old song, {ally} found the words that had been missing.",
            "{Hero} realised the magic had never been in {thing}; it had been in {him} all along.",
            "The path doubled back on itself and showed them where they had truly begun.",
        ),
        "climax": (
            "{Hero} raised {thing} high, and light poured out across the whole valley.",
            "With the stars as witnesses, {hero} spoke the ancient words.",
            "The enchantment roared, and {hero} stood firm against it.",
            "{Ally} and {hero} joined hands, and the air itself began to sing.",
            "Every lamp in the kingdom flickered, then blazed back to life.",
        ),
        "resolution": (
            "Spring returned to {place}, and with it came a hundred small miracles.",
            "The villagers never learned the whole story, but they sensed that something wonderful had happened.",
            "{Hero} kept {thing} on a high shelf, where it still glows on quiet nights.",
            "The old magic settled back into the land like a cat curling up by a fire.",
            "And if you listen carefully at moonrise, you can still hear the trees telling the tale.",
        ),
    },
    atmosphere=(
        "{Sound} drifted through the air like a half-remembered lullaby.",
        "The air tasted of honey and thunder.",
        "Even the stones seemed to be dreaming.",
        "Every leaf shimmered, as though the whole forest had been dusted with starlight.",
        "Magic hummed just beneath the surface of things.",
        "{Hero} felt the old {feeling} of a world larger than anyone's maps.",
        "Somewhere far above, a star winked, as if it knew the ending already.",
        "Time moved differently here, slower and kinder.",
        "Little lights drifted between the branches, curious and unafraid.",
        "The wind carried a song in a language older than the hills.",
        "{Hero} could feel the magic under {his} feet, like a second heartbeat.",
        "Every path here seemed to remember who had walked it before.",
    ),
    dialogue={
        "setup": ("Did you see it glow?", "Grandmother said this was only a story.", "Magic is real. I knew it."),
        "complication": ("The forest is watching us.", "The spell is breaking!", "We shouldn't have opened it."),
        "turn": ("It's not a curse. It's a promise.", "The song! Sing the song!", "It was inside us the whole time."),
        "climax": ("Hold on to me!", "Now! Say the words!", "Shine, please shine!"),
        "resolution": ("Welcome home.", "The spring has come back.", "Will it happen again?"),
    },
    closers=(
        "The stars listened.", "Magic stirred.", "The lantern flickered.", "{Hero} held {his} breath.",
        "Something ancient woke.", "The forest sighed.", "And the light grew.", "The moon looked on.",
    ),
)

HORROR = GenreKit(
    noun="horror story",
    hero_roles=("new tenant", "night caretaker"),
    support_roles=("sceptical sister", "elderly neighbour", "local priest", "paranormal blogger", "house agent"),
    goals=("find out what lives in the walls", "get everyone out alive", "break the pattern"),
    stakes=("the house claims another name", "the door opens from the other side", "it finds them first"),
    things=("the music box", "the cracked mirror", "the porcelain doll"),
    places=(
        "the narrow hallway", "the cellar", "the boarded-up nursery", "the overgrown garden", "the attic",
        "the empty bathroom", "the back stairs",
    ),
    times=(
        ("late afternoon", "in the late afternoon"), ("dusk", "at dusk"), ("nightfall", "at nightfall"),
        ("midnight", "at midnight"), ("three in the morning", "at three in the morning"),
        ("first light", "at first light"),
    ),
    weathers=(
        "a cold draught from nowhere", "thunder grumbling far away", "a sickly yellow light", "rain hammering the roof",
        "fog pressing against the glass", "a single bulb flickering",
    ),
    moods=("cold", "wrong", "hollow", "silent", "creeping", "oppressive"),
    feelings=("dread", "terror", "unease", "panic", "horror"),
    sounds=(
        "a slow scrape behind the wallpaper", "a child humming in an empty room", "three knocks from inside the wall",
        "breathing that was not their own", "the creak of a rocking chair with no one in it",
    ),
    details=(
        "the eyes in the portraits seemed to follow every movement",
        "handprints had appeared on the inside of the window",
        "the dolls had been rearranged in the night", "a door that had been locked now stood ajar",
        "frost bloomed on the glass in the middle of summer",
    ),
    garments=("wool coat", "hooded sweater", "nightgown", "raincoat", "cotton shirt"),
    props=(
        "a flickering torch", "a silver crucifix", "a camera with a cracked lens", "a ring of old iron keys",
        "a candle in a tin holder",
    ),
    actions=(
        "backing away from a half-open door", "holding a torch toward the dark",
        "staring at a reflection that moves wrong",
        "listening with an ear against the wall", "gripping a banister on a dark stairway", "frozen in a doorway",
    ),
    titles=("What the {Thing_n} Saw", "Don't Open the {Place_n}", "The Thing in the {Place_n}", "Do Not Look Back"),
    beats={
        "setup": (
            "The house was cheap, and {hero} was too relieved to ask why.",
            "{Hero} told {him}self that old buildings always make noises at night.",
            "There was a room at the end of {place} that nobody ever used, and nobody ever said why.",
            "The previous owners had left in a hurry, and they had left {thing} behind.",
            "For the first few days, everything in {place} seemed perfectly, suspiciously normal.",
        ),
        "complication": (
            "Then the noises began to follow a pattern, and the pattern began to get closer.",
            "{Ally} laughed at the stories until {ally_he} saw it too.",
            "Every night {thing} was in a different place, and every night it was closer to the bed.",
            "{Hero} stopped sleeping, because sleeping was when it moved.",
            "The locks held, but that only proved it was already inside.",
        ),
        "turn": (
            "{Hero} found the old newspaper, and the face in the photograph was {his} own.",
            "It had never wanted to frighten them; it wanted to be let out.",
            "{Ally} finally admitted what had really happened in that house years ago.",
            "The pattern had a beginning, and the beginning was buried under {place}.",
            "The door they had sealed to keep it in had been keeping something else out.",
        ),
        "climax": (
            "At the stroke of midnight, every door in the house opened at once.",
            "{Hero} walked into the dark with only a failing torch and {his} own stubbornness.",
            "The thing in the walls spoke {hero}'s name, and it sounded almost kind.",
            "{Ally} screamed, and the lights went out.",
            "{Hero} held {thing} over the fire and did not let go.",
        ),
        "resolution": (
            "When dawn came, the house was silent for the first time in a hundred years.",
            "They never went back, but sometimes, late at night, {hero} still hears the humming.",
            "{Thing} was gone, and nobody who saw it leave would ever describe what they saw.",
            "The new owners found the house charming, and perfectly, suspiciously quiet.",
            "{Hero} survived, and learned that some doors are better left closed.",
        ),
    },
    atmosphere=(
        "{Sound} came again, closer this time.",
        "The dark seemed thicker in the corners than it had any right to be.",
        "Something moved at the edge of sight and was gone.",
        "The air grew so cold that {hero}'s breath hung in front of {him}.",
        "Nobody said it aloud, but everyone was counting the seconds.",
        "A smell of wet earth rose from beneath the floorboards.",
        "The silence afterwards was worse than the noise.",
        "In the mirror, the room looked almost the same.",
        "The house settled with a long, slow groan, like something turning over in its sleep.",
        "{Hero} did not look behind {him}, because {he} did not want to know.",
        "Every light switch seemed a little too far away.",
        "The quiet had weight to it, pressing down from every side.",
    ),
    dialogue={
        "setup": ("Did you hear that?", "It's just the pipes.", "Who locked this door?"),
        "complication": ("It's closer than last night.", "Don't look at the mirror.", "I'm not staying here."),
        "turn": ("It's not trying to hurt us.", "We have to open the cellar.", "It knows my name."),
        "climax": ("Run! Don't look back!", "Stay in the light!", "Let it go!"),
        "resolution": ("Is it over?", "We never talk about this.", "I can still hear it sometimes."),
    },
    closers=(
        "Then silence.", "The light died.", "Nothing answered.", "{Hero} did not breathe.", "The door creaked.",
        "Something waited.", "And it was closer.", "The house listened.",
    ),
)

ROMANCE = GenreKit(
    noun="love story",
    hero_roles=("bookshop clerk", "cellist"),
    support_roles=("charming stranger", "best friend", "matchmaking aunt", "former flame", "café owner"),
    goals=("say the words while there is still time", "find the person behind the letters", "choose love over caution"),
    stakes=("the train leaves without them", "the moment passes forever", "pride gets in the way"),
    things=("the folded letter", "the red umbrella", "the pressed flower"),
    places=(
        "the little bookshop", "the rooftop garden", "the harbour promenade", "the corner café", "the city park",
        "the night market", "the old bridge",
    ),
    times=(
        ("morning", "in the morning"), ("midday", "at midday"), ("the afternoon", "in the afternoon"),
        ("golden hour", "at golden hour"), ("dusk", "at dusk"), ("late evening", "late in the evening"),
    ),
    weathers=(
        "warm light pooling on the pavement", "a gentle spring rain", "cherry blossom drifting on the breeze",
        "a string of lights coming on, bulb by bulb", "a pink sky streaked with cloud",
        "snow falling in slow, soft flakes",
    ),
    moods=("warm", "tender", "shy", "hopeful", "glowing", "bittersweet"),
    feelings=("longing", "hope", "nervousness", "joy", "affection"),
    sounds=(
        "a street musician playing an old love song", "laughter from a nearby table", "the clink of coffee cups",
        "church bells across the rooftops", "pages rustling in the breeze",
    ),
    details=(
        "two cups of coffee had gone cold while nobody noticed",
        "someone had drawn a small heart in the steam on the window",
        "a single flower had been left on the bench", "a book lay open at a marked passage",
        "fairy lights were tangled in the branches above",
    ),
    garments=("soft sweater", "wool coat", "summer dress", "denim jacket", "trench coat"),
    props=(
        "a paperback with a broken spine", "a bicycle with a wicker basket", "a bouquet of wildflowers",
        "a woollen scarf that keeps slipping", "a fountain pen with gold trim",
    ),
    actions=(
        "reading a letter with a slow smile", "glancing up and quickly looking away", "sharing an umbrella in the rain",
        "walking side by side without speaking", "reaching for the same book", "laughing at a private joke",
    ),
    titles=("Love and the {Thing_n}", "The {Place_n}, With Love", "Letters to a Stranger", "Meet Me at the {Place_n}"),
    beats={
        "setup": (
            "{Hero} had given up on grand romance and settled for very good coffee.",
            "The first time {hero} saw {ally}, {he} thought nothing of it, which was a remarkable mistake.",
            "{Thing} appeared one morning, with no name and a single line that made {hero} smile all day.",
            "{Place} was full of couples, and {hero} had become an expert at not noticing them.",
            "Some people fall in love at first sight; {hero} preferred to take the long way round.",
        ),
        "complication": (
            "Every time {hero} found the courage to speak, someone else interrupted.",
            "{Ally} was funny, and kind, and about to leave the city for good.",
            "A misunderstanding grew, as misunderstandings do, from a single unsent reply.",
            "{Hero} wrote a dozen answers and tore up every one of them.",
            "They kept almost meeting, missing each other by minutes, by a street, by a breath.",
        ),
        "turn": (
            "Then {hero} recognised the handwriting, and {his} heart did something complicated.",
            "{Ally} had been looking for {hero} all along, from the other side of the story.",
            "A friend pointed out, gently, that being afraid was not the same as being wise.",
            "{Hero} realised the letters had never been a game; they had been a question.",
            "For the first time, {hero} let {him}self imagine the ending {he} actually wanted.",
        ),
        "climax": (
            "{Hero} ran, which was not something {he} ever did, through {place} and into the rain.",
            "They met in the middle of the bridge, both of them out of breath and out of excuses.",
            "{Hero} said the words, and they came out wrong, and they were perfect.",
            "{Ally} held out {thing}, and the whole city seemed to go quiet.",
            "It was the bravest thing {hero} had ever done, and it took three seconds.",
        ),
        "resolution": (
            "They walked home the long way, because neither of them wanted the evening to end.",
            "{Place} looked different now, as if someone had turned up the colour.",
            "The letters kept coming, only now they were signed.",
            "{Hero} never did give up good coffee, but now it came in two cups.",
            "It was not a fairy tale; it was better, because it was theirs.",
        ),
    },
    atmosphere=(
        "{Sound} drifted across the street.",
        "The city seemed to soften at the edges.",
        "Love, {hero} was learning, is mostly a matter of paying attention.",
        "There was a warmth in the air that had nothing to do with the weather.",
        "Every small thing felt like a sign, and perhaps some of them were.",
        "{Hero} caught {his} own reflection in a window, smiling for no reason.",
        "Time slowed, the way it does when something matters.",
        "The evening smelled of rain and bread and possibility.",
        "{Hero} replayed the last conversation a dozen times, looking for clues.",
        "Across the street, a couple shared an umbrella and laughed at the rain.",
        "The world felt full of small, bright doors, waiting to be opened.",
        "{Hero} was not sure when it had started, only that it had.",
    ),
    dialogue={
        "setup": ("Is this seat taken?", "I love this book too.", "Have we met before?"),
        "complication": ("I'm leaving on Friday.", "Why didn't you write back?", "It's complicated."),
        "turn": ("It was you. The letters were you.", "I've been looking everywhere.", "I didn't want to hope."),
        "climax": ("Don't get on the train.", "I should have said it sooner.", "Stay. Please stay."),
        "resolution": ("Same bench tomorrow?", "I'm glad it was you.", "Walk me home?"),
    },
    closers=(
        "{Hero} smiled.", "The lights came on.", "Neither of them moved.", "The rain kept time.", "Something bloomed.",
        "It felt like spring.", "Hearts raced.", "And that was that.",
    ),
)

ADVENTURE = GenreKit(
    noun="adventure",
    hero_roles=("young cartographer", "runaway deckhand"),
    support_roles=(
        "gruff ship's captain", "loyal best friend", "eccentric explorer", "rival treasure hunter",
        "river guide",
    ),
    goals=("reach the far side of the map", "bring the lost treasure home", "find the way back home"),
    stakes=("the storm closes the only way out", "their rival gets there first", "the map crumbles to dust"),
    things=("the brass compass", "the torn map", "the carved stone key"),
    places=(
        "the rope bridge over the gorge", "the jungle river", "the windswept cliffs", "the ancient ruins",
        "the rolling sand dunes", "the harbour docks", "the canyon trail",
    ),
    times=(
        ("dawn", "at dawn"), ("sunrise", "at sunrise"), ("midday", "at midday"), ("the afternoon", "in the afternoon"),
        ("sunset", "at sunset"), ("nightfall", "at nightfall"),
    ),
    weathers=(
        "a fierce wind snapping at the sails", "a sky bleached white by heat", "a wall of storm cloud on the horizon",
        "spray flying off the waves", "heat shimmering over the rocks", "a clear sky after the storm",
    ),
    moods=("bold", "daring", "wild", "breathless", "fearless", "rugged"),
    feelings=("courage", "excitement", "determination", "wanderlust", "hope"),
    sounds=(
        "the roar of a distant waterfall", "gulls crying over the water", "the creak of ropes and timber",
        "drums echoing in the valley", "thunder rolling across the plain",
    ),
    details=(
        "the old map showed a path that no longer existed", "vines had swallowed half of the ancient stairway",
        "a rusted anchor marked the start of the trail", "strange symbols were scratched into the rock",
        "the river split in two around a stone shaped like a fist",
    ),
    garments=("explorer's jacket", "striped sailor's shirt", "canvas vest", "oilskin coat", "patched leather jacket"),
    props=(
        "a brass telescope", "a coil of rope over one shoulder", "a battered leather satchel", "a wide-brimmed hat",
        "a compass on a long chain",
    ),
    actions=(
        "leaping across a gap between rocks", "hauling on a rope against the wind",
        "studying {thing} in the blazing sun",
        "climbing a crumbling stairway", "paddling hard through white water", "pointing toward the horizon",
    ),
    titles=(
        "The Voyage of the {Thing_n}", "Beyond the {Place_n}", "The {Thing_n} Expedition",
        "To the Edge of the Map",
    ),
    beats={
        "setup": (
            "{Hero} had always wanted to see what lay beyond the edge of the map.",
            "{Thing} arrived with a note that said only: follow me.",
            "Nobody in {place} believed {hero} would really go, least of all {hero}.",
            "{Hero} packed a bag, checked it twice, and then added one more sandwich for luck.",
            "The journey began the way the best journeys do, with a bad idea and a good friend.",
        ),
        "complication": (
            "The path was washed out, the bridge was rotten, and the weather had opinions.",
            "{Ally} wanted to turn back, and for a while it seemed like the sensible thing to do.",
            "A rival crew was close behind them, and gaining with every hour.",
            "{Thing} pointed one way, the stars pointed another, and the river did not care about either.",
            "Supplies ran low, tempers ran short, and the destination still seemed impossibly far.",
        ),
        "turn": (
            "Then {hero} saw that the map had been upside down the whole time.",
            "{Ally} found a hidden passage where there should have been only rock.",
            "The rival who had chased them needed rescuing, and {hero} did not hesitate.",
            "From the top of the ridge, they finally saw it, shining in the distance.",
            "{Hero} realised that the treasure was never the point; the journey was.",
        ),
        "climax": (
            "{Hero} leapt, and for one endless second there was nothing below but air.",
            "The storm broke over them as they raced for the final gate.",
            "With the ground crumbling behind them, {hero} and {ally} ran for their lives.",
            "{Hero} fitted {thing} into the ancient lock and turned it with both hands.",
            "The waters rose, the walls shook, and {hero} held on.",
        ),
        "resolution": (
            "They came home sunburnt, scratched and happier than they had ever been.",
            "{Place} welcomed them back with music and far too many questions.",
            "{Hero} unrolled a fresh map and began, quietly, to plan the next journey.",
            "{Thing} sits on {hero}'s shelf now, and every so often it still points north.",
            "Some adventures end; the best ones just pause to catch their breath.",
        ),
    },
    atmosphere=(
        "{Sound} echoed across the wide land.",
        "The horizon seemed to keep stepping back, daring them on.",
        "Every muscle ached, and every view was worth it.",
        "The wind smelled of salt and distant rain.",
        "Far below, the world looked small and very beautiful.",
        "Adventure, {hero} decided, was mostly being tired in magnificent places.",
        "The sky stretched wide and endless above them.",
        "Each step took them further from home and closer to something new.",
        "The map in {hero}'s pocket had grown soft from so much folding.",
        "Behind them lay everything familiar; ahead lay everything else.",
        "They shared the last of the water and pretended it was a feast.",
        "{Hero} had never felt so small, or so alive.",
    ),
    dialogue={
        "setup": ("Are you coming or not?", "How hard can it be?", "Pack light. We move fast."),
        "complication": ("The bridge is out!", "We're going the wrong way.", "They're right behind us!"),
        "turn": ("Look! Down there!", "The map was upside down!", "Grab my hand. I've got you."),
        "climax": ("Jump! Now!", "Hold the rope!", "Don't let go!"),
        "resolution": ("Where to next?", "We actually made it.", "Home. Finally."),
    },
    closers=(
        "They pressed on.", "The wind howled.", "Onward.", "{Hero} grinned.", "The horizon waited.",
        "The river roared.",
        "No turning back now.", "Then they climbed.",
    ),
)

SCI_FI = GenreKit(
    noun="science-fiction tale",
    hero_roles=("systems engineer", "lone botanist"),
    support_roles=("ship's pilot", "mission commander", "salvage pilot", "curious android", "station doctor"),
    goals=("send a message home while the window is open", "repair the failing core", "prove the machine can learn"),
    stakes=("the signal is lost forever", "the station goes dark", "the colony forgets why it set out"),
    things=("the signal beacon", "the data crystal", "the seed vault"),
    places=(
        "the observation deck", "the hydroponics bay", "the docking ring", "the quiet cryo-hall", "the engine room",
        "the red desert outside the colony", "the orbital garden",
    ),
    times=(
        ("ship's morning", "at ship's morning"), ("the day cycle", "during the day cycle"),
        ("shift change", "at shift change"), ("the evening cycle", "during the evening cycle"),
        ("ship's night", "at ship's night"), ("planetrise", "at planetrise"),
    ),
    weathers=(
        "cold starlight through the viewport", "the glow of a gas giant filling the sky",
        "a dust storm scouring the dome",
        "soft blue emergency lighting", "the shimmer of an aurora over the hull", "the flicker of failing panels",
    ),
    moods=("luminous", "distant", "silent", "vast", "humming", "weightless"),
    feelings=("wonder", "loneliness", "curiosity", "awe", "hope"),
    sounds=(
        "the steady hum of the life-support fans", "a soft chime from the ship's computer",
        "static crackling on an old frequency", "the distant clank of a maintenance drone",
        "the ping of sonar off empty space",
    ),
    details=(
        "a coffee cup drifted slowly past in low gravity", "rows of green shoots grew under violet lamps",
        "the viewport was frosted at the edges", "a warning light blinked patiently on a console",
        "the star charts showed a course nobody remembered plotting",
    ),
    garments=("flight suit", "pressure suit", "jumpsuit", "thermal jacket", "crew uniform"),
    props=(
        "a scuffed data tablet", "a helmet under one arm", "a glowing wrist console", "a multitool on a lanyard",
        "a small potted plant",
    ),
    actions=(
        "floating past a wide viewport", "typing fast on a glowing console", "looking out at a vast planet",
        "repairing a panel of blinking circuits", "tending green shoots under violet lamps",
        "holding {thing} up to the light",
    ),
    titles=(
        "Signal from the {Place_n}", "The {Thing_n} Protocol", "Last Light of the {Place_n}",
        "Message from the Dark",
    ),
    beats={
        "setup": (
            "Out here, between the stars, {hero} measured time in harvests and system checks.",
            "The ship had been travelling for three generations, and {hero} was the last one who remembered why.",
            "{Thing} had been silent for years, until the night it blinked on by itself.",
            "{Hero} talked to the machines because there was no one else left to talk to.",
            "In {place}, under artificial light, something small and green had started to grow.",
        ),
        "complication": (
            "Then the readings changed, and no model on board could explain them.",
            "{Ally} had been trained to follow orders, and now {ally_he} was asking questions.",
            "The power was failing, section by section, like lights going out in a city.",
            "{Thing} was sending a signal, and something out in the dark was answering.",
            "The computer's calm voice listed the problems in order of how likely they were to kill everyone.",
        ),
        "turn": (
            "{Hero} realised the signal was not a warning; it was an invitation.",
            "{Ally} did something no program had told {ally_him} to do, and it changed everything.",
            "The numbers finally made sense, and what they said was impossible, and true.",
            "Buried in the old logs was a message left for exactly this moment.",
            "{Hero} understood that the machine was not broken; it was learning.",
        ),
        "climax": (
            "{Hero} suited up and stepped out into the silence of open space.",
            "With seconds left on the countdown, {hero} rerouted every last watt of power.",
            "{Ally} held the door while {hero} fought the failing systems.",
            "{Thing} flared with light as the message finally went out across the dark.",
            "The whole ship shuddered, and then, impossibly, it began to hum again.",
        ),
        "resolution": (
            "Days later, a reply arrived from home, faint but unmistakable.",
            "{Place} bloomed green under the lamps, and the ship sailed on.",
            "{Hero} was no longer alone out there, and maybe never had been.",
            "The stars looked the same, but the silence between them felt warmer now.",
            "The log entry for that day was short: all systems stable, and one small miracle.",
        ),
    },
    atmosphere=(
        "{Sound} filled the long corridors.",
        "Beyond the glass, a thousand stars burned without a sound.",
        "Space was not empty; it was patient.",
        "The ship breathed in, the ship breathed out, and the lights pulsed softly.",
        "{Hero} pressed a hand to the cold viewport and watched the dark go by.",
        "Numbers scrolled across every screen, too fast to read.",
        "Somewhere in the machinery, a relay clicked, as if thinking.",
        "The distance home could only be written in light-years.",
        "Outside the hull, the universe went on being unimaginably large.",
        "{Hero} ran the numbers a third time, hoping the answer would change.",
        "In the quiet, the ship's old systems murmured to each other.",
        "Far away, a star that had died long ago was still shining.",
    ),
    dialogue={
        "setup": ("All systems nominal.", "Run the diagnostic again.", "Did that light just blink?"),
        "complication": ("We're losing power.", "That signal isn't ours.", "The numbers don't add up."),
        "turn": ("It's not a warning. It's a reply.", "I think it's learning.", "Look at the old logs!"),
        "climax": ("Reroute everything to the core!", "Thirty seconds!", "Hold the airlock!"),
        "resolution": ("Message received.", "We're not alone.", "Log it. All of it."),
    },
    closers=(
        "The ship hummed.", "Stars wheeled by.", "The console blinked.", "{Hero} waited.", "Silence answered.",
        "The signal pulsed.", "Systems stable.", "Then, a faint reply.",
    ),
)

GENRE_KITS: dict[str, GenreKit] = {
    "adventure": ADVENTURE,
    "comedy": COMEDY,
    "drama": DRAMA,
    "fantasy": FANTASY,
    "horror": HORROR,
    "mystery": MYSTERY,
    "romance": ROMANCE,
    "sci-fi": SCI_FI,
}

# --- shared sentence banks (filled with genre vocabulary) --------------------------------------

GENERIC_BEATS: dict[str, tuple[str, ...]] = {
    "setup": (
        "{At_time}, {place} felt {mood}, the way it always did before something changed.",
        "That was the season {hero} first noticed {thing}.",
        "{Hero} did not believe in signs, but {thing} was hard to ignore.",
        "Life in {place} had a rhythm, and {hero} had learned to keep time with it.",
        "{Ally}, {ally_role_a}, was the first to say out loud what {hero} had been thinking.",
        "It started small, the way the biggest things usually do.",
        "{Hero} told {him}self it was nothing, and almost believed it.",
        "If anyone had asked, {hero} would have said {his} life was perfectly ordinary.",
        "There was a feeling of {feeling} in the air, faint but unmistakable.",
        "{Hero} had walked past {thing} a hundred times without really seeing it.",
        "Most days in {place} were {mood} and alike, and {hero} liked it that way.",
        "Nobody could have guessed that {place} was about to become the centre of everything.",
        "{Ally} lived close by and had opinions about nearly everything, including {hero}.",
        "It looked like an ordinary day, and that was the trouble.",
    ),
    "complication": (
        "Then {thing} changed everything, and not in the way anyone hoped.",
        "{Ally} had a different plan, and the two plans did not fit together.",
        "The harder {hero} pushed, the harder the world seemed to push back.",
        "{Hero} made a promise {he} was not sure {he} could keep.",
        "Doubt crept in quietly, the way cold creeps under a door.",
        "Every step toward the answer seemed to cost something.",
        "{Ally} stopped answering questions and started asking them instead.",
        "By {time}, the small problem had grown into something with teeth.",
        "There was no going back now, and {hero} knew it.",
        "The feeling of {feeling} grew stronger with every hour.",
        "{Hero} tried the obvious solution first, and the obvious solution made things worse.",
        "Somewhere between {place} and home, the plan began to come apart.",
        "{Ally} warned {hero} to let it go, but letting go had never been {his} strength.",
        "Each small fix seemed to loosen something else.",
        "A second problem arrived before the first had been solved.",
    ),
    "turn": (
        "And then, without warning, the whole picture shifted.",
        "{Hero} finally understood what {thing} had been trying to say.",
        "It was {ally} who noticed the one detail everyone else had missed.",
        "What had looked like the end of the road was only a bend in it.",
        "For a long moment, nobody spoke.",
        "{Hero} stopped running from the question and turned to face it.",
        "The answer had been waiting in {place} all along.",
        "Suddenly the old rules no longer applied.",
        "{Ally} said something small, and it changed everything.",
        "The ground seemed to tilt beneath {hero}'s feet.",
        "{Hero} looked at {thing} again, and this time saw it clearly.",
        "A new kind of {feeling} took hold, steadier than the fear that came before.",
        "Then {ally} asked the right question, and everything rearranged itself.",
        "The thing {hero} had feared most turned out to be the key.",
        "Looking back, the signs had been there from the very first day.",
    ),
    "climax": (
        "Everything came down to this one {mood} moment.",
        "{Hero} took a breath, gathered every ounce of courage, and stepped forward.",
        "{Thing} was within reach at last.",
        "{Ally} and {hero} looked at each other, and neither of them looked away.",
        "There would be no second chance, and both of them knew it.",
        "{At_time}, in {place}, the long wait came to an end.",
        "It was now or never.",
        "{Hero} chose, and the choice rang out like a bell.",
        "All the fear of the last days gathered into a single heartbeat.",
        "Then {hero} did the one thing nobody expected.",
        "{Hero} reached for {thing} with steady hands.",
        "The whole of {place} seemed to hold its breath and wait.",
        "{Hero} thought of everything that had led here, and did not turn back.",
        "It all happened very fast, and yet every second seemed to last forever.",
        "This time, {hero} did not hesitate.",
    ),
    "resolution": (
        "When it was over, {place} was quiet again, but it was a different kind of quiet.",
        "{Hero} was not the same person who had first noticed {thing}.",
        "{Ally} smiled, and for once there was nothing left to explain.",
        "Some things were lost, and some were found, and the balance felt right.",
        "Life went on, the way life does, a little brighter than before.",
        "Years later, {hero} would still tell the story, and it would still feel true.",
        "{At_time}, {hero} and {ally} walked home together.",
        "The feeling of {feeling} had gone, and in its place was something gentler.",
        "It was an ending, but it felt a lot like a beginning.",
        "{Thing} stayed where it belonged, and so, at last, did {hero}.",
        "{Hero} looked back once at {place}, and then looked ahead.",
        "The world was the same size as before, but it felt wider.",
        "Afterwards, {hero} and {ally} sat together for a long time, saying very little.",
        "The days that followed were quiet ones, and {hero} was grateful for each of them.",
        "{Place} returned to its old rhythm, and {hero} found {he} liked it more than before.",
    ),
}

GENERIC_ATMOSPHERE = (
    "{Sound} drifted through {place}.",
    "Outside, there was {weather}.",
    "{Detail}.",
    "Everything looked {mood} in that light.",
    "{Hero} noticed that {detail}.",
    "Then came {sound}, and then nothing.",
    "Even the air felt {mood}.",
    "{Place} held its breath.",
    "{Hero} stood still for a moment, listening.",
    "Time moved strangely in {place}.",
    "A feeling of {feeling} hung over everything.",
    "{Ally} said nothing, but {ally_his} eyes said plenty.",
    "There was {weather}, and the world beyond the window seemed very far away.",
    "For a while the only sound was {sound}.",
    "{Hero} thought about the years before all this, and how simple they had seemed.",
    "Every shadow in {place} seemed a little deeper than before.",
    "The moment stretched, {mood} and strange.",
    "{Ally} watched {hero} closely, trying to read {his} face.",
    "Neither of them noticed how late it had become.",
    "{Hero} let the silence settle before saying anything at all.",
    "{Hero} closed {his} eyes for a moment and let the world go quiet.",
    "The hours passed more slowly than they had any right to.",
    "{Ally} shifted from one foot to the other, waiting.",
    "It was hard to say where the feeling of {feeling} had come from, only that it was there.",
    "{Place} seemed larger than usual, and emptier.",
    "Small things took on a strange importance.",
    "{Hero} caught {ally}'s eye and saw the same question there.",
    "Every sound seemed to carry a little further than it should.",
    "The {mood} stillness made every heartbeat loud.",
    "{Hero} heard {sound}, and pretended not to.",
)

OPENERS = (
    "{At_time}, {place} lay under {weather}.",
    "{At_time}, there was {weather} over {place}.",
    "{At_time}, {hero} came to {place}.",
    "It was {time} in {place}, with {weather}.",
    "{At_time}, {place} was {mood}, with {weather}.",
    "We find {hero} in {place} {at_time}.",
    "{Place} {at_time}: {weather}, and a {mood} kind of stillness.",
    "{At_time}, {hero} and {ally} met again in {place}.",
    "The story moves to {place}, {at_time}, with {weather}.",
    "{At_time}, {place} was waiting, {mood} and patient.",
)

INTRODUCTIONS = (
    "{Hero}, {hero_role_a}, knew every corner of {place} and expected nothing new from it.",
    "Meet {hero}, {hero_role_a}, who had long ago stopped expecting surprises.",
    "Our hero is {hero}, {hero_role_a}, with a curious mind and a stubborn heart.",
    "Everyone in {place} knew {hero}, {hero_role_a}, though few knew {him} well.",
)

THEME_INTROS = (
    "Our story is this: {theme_sentence}",
    "It began with something almost too odd to believe: {theme_sentence}",
    "This is a story about one strange idea: {theme_sentence}",
    "People would later sum it up in a single line: {theme_sentence}",
    "Everything that followed grew from one small fact: {theme_sentence}",
)

THEME_ECHOES = (
    "In the end, the whole story could still be told in one line: {theme_sentence}",
    "And so it was, just as the story promised: {theme_sentence}",
    "It had all come from one strange beginning: {theme_sentence}",
)

GENERIC_CLOSERS = (
    "Then quiet.", "{Hero} nodded.", "Time passed.", "The moment held.", "It was not over.", "And so it went.",
    "Nobody spoke.", "The light shifted slowly.", "{Hero} looked at {ally}.", "Everything waited.",
    "It was only the beginning.", "Whatever happened next, it would happen here.",
    "{Hero} took a long breath and looked around.",
    "{Hero} looked at {ally}, and neither of them said a word.",
)

GENERIC_DIALOGUE: dict[str, tuple[str, ...]] = {
    "setup": (
        "Look at this.", "Did you see that?", "Something's different today.", "Where did this come from?",
        "Just another ordinary day.",
    ),
    "complication": ("This is bad.", "We need a plan.", "I don't like this.", "Not again.", "Why is this happening?"),
    "turn": (
        "Wait. Look closer.", "That changes everything.", "I understand now.", "We had it wrong.",
        "Listen to me.",
    ),
    "climax": ("Now or never.", "Stay close.", "Together. On three.", "I won't let go.", "This is it."),
    "resolution": ("We did it.", "It's over.", "Thank you.", "What now?", "Let's go home."),
}

SCENE_TITLES: dict[str, tuple[str, ...]] = {
    "setup": (
        "{Place} {At_time}", "Before Anything Happened", "The First Sign", "An Ordinary Day",
        "Meeting the {Thing_n}",
    ),
    "complication": (
        "Trouble at {Place}", "The Problem with the {Thing_n}", "Cracks Appear", "A Growing {Feeling}",
        "No Easy Answers",
    ),
    "turn": ("The Hidden Pattern", "What {Ally} Saw", "Everything Shifts", "A Door Opens", "Second Thoughts"),
    "climax": ("The Moment of Truth", "All or Nothing", "Face to Face", "The Last Chance", "{Hero} Decides"),
    "resolution": ("After the Storm", "Home Again", "What Remains", "A New Morning", "The Quiet After"),
}

GENERIC_ACTIONS = (
    "looking up in surprise", "turning toward a sound", "walking slowly forward", "pausing at a doorway",
    "talking quietly", "pointing at something out of frame", "kneeling to look closer", "standing very still",
    "reaching out a hand", "exchanging a long look", "sitting side by side", "hurrying across the frame",
    "glancing back over one shoulder", "holding {thing} carefully", "laughing softly", "pausing to catch a breath",
)

EXPRESSIONS = (
    "eyes wide with {feeling}", "a small smile breaking through", "jaw set with determination",
    "brow furrowed in thought", "lost in thought", "tears held back", "eyes narrowed, watching closely",
    "lips parted mid-word", "a flicker of {feeling} crossing the face", "breath held", "a look of quiet resolve",
    "eyes shining", "half in shadow, listening", "a startled glance", "a weary, crooked smile", "chin raised, unafraid",
)

THING_POSES = (
    "resting on a wooden table", "held in careful hands", "half-hidden in shadow", "catching the light",
    "lying on the floor", "seen up close in sharp detail", "glinting in the half-light",
    "set carefully on a windowsill",
    "cradled in both palms", "surrounded by scattered papers",
)

STYLE_VISUALS: dict[str, tuple[str, ...]] = {
    "cinematic": (
        "dramatic volumetric light", "shallow depth of field", "golden rim lighting", "anamorphic lens flare",
        "rich filmic contrast", "sweeping widescreen composition",
    ),
    "watercolor": (
        "soft washes of colour", "bleeding pastel edges", "visible paper grain", "loose delicate brushwork",
        "gentle diffused light", "pale translucent shadows",
    ),
    "anime": (
        "vivid cel-shaded colour", "crisp clean line work", "glowing sky gradient", "sparkling highlights",
        "lush painted background", "bright saturated palette",
    ),
    "storybook": (
        "warm gouache colours", "rounded friendly shapes", "cosy lamplight", "hand-drawn ink outlines",
        "soft textured paper", "whimsical proportions",
    ),
    "noir": (
        "rain-slick streets", "neon reflections", "hard shadows", "venetian-blind light", "smoky haze",
        "high-contrast black and white",
    ),
    "pixel-art": (
        "chunky pixel shapes", "limited retro palette", "crisp blocky light", "dithered gradients",
        "tiny sprite-like figures", "glowing pixel highlights",
    ),
    "claymation": (
        "handmade clay textures", "fingerprint-marked surfaces", "miniature set lighting",
        "soft stop-motion shadows", "felt and cardboard props", "rounded sculpted forms",
    ),
    "comic": (
        "bold ink outlines", "halftone dot shading", "flat punchy colours", "dynamic speed lines",
        "dramatic panel framing", "crisp cross-hatching",
    ),
}

# --- theme lexicons ---------------------------------------------------------------------------


class PersonHint(NamedTuple):
    role: str
    age: str | None = None
    sex: str | None = None
    kind: str = "human"
    prop: str | None = None
    plural: bool = False


PEOPLE: dict[str, PersonHint] = {
    "lighthouse keeper": PersonHint("lighthouse keeper", "adult", prop="an old lantern with a gold handle"),
    "keeper": PersonHint("keeper", "adult"),
    "gardener": PersonHint("gardener", "adult", prop="a green watering can"),
    "grandmother": PersonHint("grandmother", "elder", "f"),
    "grandma": PersonHint("grandmother", "elder", "f"),
    "grandfather": PersonHint("grandfather", "elder", "m"),
    "grandpa": PersonHint("grandfather", "elder", "m"),
    "grandson": PersonHint("grandson", "child", "m"),
    "granddaughter": PersonHint("granddaughter", "child", "f"),
    "daughter": PersonHint("daughter", "child", "f"),
    "son": PersonHint("son", "child", "m"),
    "girl": PersonHint("girl", "child", "f"),
    "boy": PersonHint("boy", "child", "m"),
    "woman": PersonHint("woman", "adult", "f"),
    "man": PersonHint("man", "adult", "m"),
    "mother": PersonHint("mother", "adult", "f"),
    "father": PersonHint("father", "adult", "m"),
    "sister": PersonHint("sister", "young", "f"),
    "brother": PersonHint("brother", "young", "m"),
    "violinist": PersonHint("violinist", "adult", prop="a violin case with a red lining"),
    "busker": PersonHint("busker", "young", prop="an open instrument case full of coins"),
    "musician": PersonHint("musician", "adult", prop="a battered guitar case"),
    "pianist": PersonHint("pianist", "adult"),
    "painter": PersonHint("painter", "adult", prop="paint-stained fingers"),
    "detective": PersonHint("detective", "adult", prop="a notebook with a black cover"),
    "astronaut": PersonHint("astronaut", "adult", prop="a white space helmet with an orange stripe"),
    "astronaute": PersonHint("astronaut", "adult", prop="a white space helmet with an orange stripe"),
    "fille": PersonHint("daughter", "child", "f"),
    "fils": PersonHint("son", "child", "m"),
    "witch": PersonHint("witch", "young", "f", prop="a crooked black hat"),
    "wizard": PersonHint("wizard", "elder", "m", prop="a tall purple hat"),
    "knight": PersonHint("knight", "young", prop="a dented silver helmet"),
    "princess": PersonHint("princess", "young", "f", prop="a small gold crown"),
    "prince": PersonHint("prince", "young", "m", prop="a small gold crown"),
    "queen": PersonHint("queen", "adult", "f"),
    "king": PersonHint("king", "adult", "m"),
    "pirate": PersonHint("pirate", "adult", prop="a black tricorn hat"),
    "sailor": PersonHint("sailor", "adult"),
    "captain": PersonHint("captain", "adult"),
    "fisherman": PersonHint("fisherman", "adult", "m"),
    "baker": PersonHint("baker", "adult", prop="a flour-dusted white apron"),
    "chef": PersonHint("chef", "adult", prop="a tall white chef's hat"),
    "teacher": PersonHint("teacher", "adult"),
    "doctor": PersonHint("doctor", "adult"),
    "nurse": PersonHint("nurse", "adult"),
    "scientist": PersonHint("scientist", "adult", prop="a white lab coat"),
    "inventor": PersonHint("inventor", "adult", prop="round gold goggles"),
    "librarian": PersonHint("librarian", "adult", prop="a stack of books"),
    "student": PersonHint("student", "young"),
    "farmer": PersonHint("farmer", "adult"),
    "clockmaker": PersonHint("clockmaker", "elder", prop="a jeweller's loupe"),
    "pilot": PersonHint("pilot", "adult"),
    "stranger": PersonHint("stranger", "adult"),
    "food-truck owner": PersonHint("food-truck owner", "adult", prop="a paper chef's hat"),
    "owner": PersonHint("owner", "adult"),
    "neighbour": PersonHint("neighbour", "adult"),
    "neighbor": PersonHint("neighbour", "adult"),
    "thief": PersonHint("thief", "young"),
    "robot": PersonHint("robot", "young", kind="robot"),
    "android": PersonHint("android", "young", kind="robot"),
    "dragon": PersonHint("dragon", "young", kind="dragon"),
    "cat": PersonHint("cat", "adult", kind="cat"),
    "dog": PersonHint("dog", "adult", kind="dog"),
    "fox": PersonHint("fox", "young", kind="fox"),
    "ghost": PersonHint("ghost", "elder", kind="ghost"),
    "owl": PersonHint("owl", "elder", kind="owl"),
    "猫": PersonHint("cat", "adult", kind="cat"),
}

PLACES: dict[str, str] = {
    "lighthouse": "the lighthouse", "bakery": "the bakery", "village": "the village", "mountain": "the mountain pass",
    "elevator": "the elevator", "lift": "the lift", "library": "the library", "city": "the city streets",
    "generation ship": "the generation ship", "spaceship": "the spaceship", "ship": "the ship",
    "space station": "the space station", "station": "the station", "street": "the street",
    "flooded street": "the flooded street", "house": "the house", "forest": "the forest", "woods": "the woods",
    "castle": "the castle", "tower": "the tower", "clock tower": "the clock tower", "harbour": "the harbour",
    "harbor": "the harbour", "island": "the island", "school": "the school", "hospital": "the hospital",
    "hotel": "the hotel", "museum": "the museum", "train": "the night train", "subway": "the subway",
    "desert": "the desert", "ocean": "the open ocean", "sea": "the sea", "river": "the river", "lake": "the lake",
    "garden": "the garden", "café": "the café", "cafe": "the café", "restaurant": "the restaurant",
    "theatre": "the theatre", "theater": "the theatre", "attic": "the attic", "basement": "the basement",
    "cellar": "the cellar", "farm": "the farm", "market": "the market", "kitchen": "the kitchen", "shop": "the shop",
    "carnival": "the carnival", "circus": "the circus", "planet": "the planet", "apartment": "the apartment",
    "office": "the office", "bridge": "the bridge", "church": "the church", "graveyard": "the graveyard",
    "cemetery": "the cemetery", "jungle": "the jungle", "cave": "the cave", "beach": "the beach", "park": "the park",
    "zoo": "the zoo", "airport": "the airport", "cabin": "the cabin", "ville": "the city streets",
    "maison": "the house", "forêt": "the forest", "mer": "the sea", "時計塔": "the clock tower", "森": "the forest",
    "海": "the sea", "城": "the castle", "駅": "the station", "学校": "the school", "街": "the town",
}

THINGS: dict[str, str] = {
    "map": "the map", "letter": "the letter", "lettre": "the letter", "mirror": "the mirror", "miroir": "the mirror",
    "tomato": "the tomato plant", "clock": "the clock", "key": "the key", "book": "the book", "violin": "the violin",
    "concerto": "the concerto score", "music box": "the music box", "lantern": "the lantern",
    "photograph": "the photograph",
    "photo": "the photograph", "ring": "the ring", "paper boat": "the paper boat", "boat": "the boat",
    "compass": "the compass", "diary": "the diary", "painting": "the painting", "mask": "the mask", "doll": "the doll",
    "radio": "the radio", "telescope": "the telescope", "egg": "the egg", "seed": "the seed", "song": "the song",
    "umbrella": "the umbrella", "bicycle": "the bicycle", "camera": "the camera", "phone": "the phone",
    "cake": "the cake", "bread": "the bread", "aurora": "the aurora", "aurore": "the aurora",
    "secret": "the secret", "treasure": "the treasure", "crown": "the crown", "sword": "the sword",
    "star": "the falling star", "moonlight": "the moonlight", "moon": "the moon", "signal": "the signal",
    "message": "the message", "recipe": "the recipe", "piano": "the piano", "guitar": "the guitar",
    "journal": "the journal", "feather": "the feather", "postcard": "the postcard", "ticket": "the ticket",
    "necklace": "the necklace", "coin": "the coin", "月の光": "the moonlight", "月": "the moon", "時計": "the clock",
    "秘密": "the secret", "手紙": "the letter", "地図": "the map", "鏡": "the mirror",
}

FEMALE_ROLE_WORDS = r"\b(landlady|daughter|sister|aunt|mother|grandmother|witch|queen|princess|wife|girl|woman)\b"
MALE_ROLE_WORDS = r"\b(landlord|brother|uncle|father|grandfather|wizard|king|prince|husband|boy|man|fisherman)\b"
AGE_MODIFIERS = {
    "retired": "elder", "old": "elder", "elderly": "elder", "young": "young", "little": "child", "teenage": "young",
}

FEMALE_NAMES = (
    "Mara", "Ines", "Yuki", "Amara", "Lena", "Sofia", "Noor", "Ada", "Priya", "Elif", "Marisol", "Hana", "Ruth",
    "Odile", "Zofia", "Leila", "Nadia", "Tova", "Greta", "Aiko", "Clara", "Esme",
)
MALE_NAMES = (
    "Tomas", "Felix", "Kenji", "Omar", "Arlo", "Mateo", "Idris", "Bram", "Ravi", "Emil", "Jonah", "Hugo", "Tariq",
    "Luca", "Sami", "Otto", "Dev", "Anton", "Kofi", "Milo", "Jules", "Rowan",
)
CREATURE_NAMES: dict[str, tuple[str, ...]] = {
    "robot": ("Pip", "Bolt", "Tock", "Cog", "Sprocket"),
    "dragon": ("Ember", "Cinder", "Bramble", "Smoulder"),
    "cat": ("Miso", "Pepper", "Biscuit"),
    "dog": ("Pickle", "Scout", "Waffles"),
    "fox": ("Rusk", "Sorrel", "Vixie"),
    "ghost": ("Agatha", "Bartholomew", "Winifred"),
    "owl": ("Hoot", "Quill", "Sage"),
}
CREATURE_LOOKS: dict[str, tuple[tuple[str, ...], str]] = {
    "robot": (
        ("silver", "white", "teal", "orange", "yellow"),
        "a small {c1} robot with round {c2} eyes, a dented shell and a {c3} scarf tied at its neck",
    ),
    "dragon": (
        ("green", "purple", "red", "teal"),
        "a small {c1} dragon with {c2} belly scales, stubby wings and a {c3} apron",
    ),
    "cat": (("black", "white", "grey", "orange"), "a sleek {c1} cat with {c2} eyes and a {c3} collar with a tiny bell"),
    "dog": (("brown", "black", "white", "gold"), "a scruffy {c1} dog with floppy ears and a {c2} collar"),
    "fox": (("orange",), "an {c1} fox with a white-tipped tail and a {c2} neckerchief"),
    "ghost": (
        ("white", "grey", "silver"),
        "a pale, softly glowing {c1} figure in an old-fashioned {c2} dress, feet never touching the ground",
    ),
    "owl": (("brown", "grey", "white"), "a round {c1} owl with {c2} eyes and tiny silver spectacles"),
}
HAIR_COLOURS = {
    "child": ("black", "brown", "red", "gold"),
    "young": ("black", "brown", "red", "gold", "pink", "teal"),
    "adult": ("black", "brown", "red", "gold"),
    "elder": ("silver", "white", "grey"),
}
VOICE_OPTIONS = {
    "child": ("child-light",),
    "young-f": ("female-bright", "female-soft"),
    "adult-f": ("female-soft", "female-bright"),
    "elder-f": ("elder-creaky", "female-soft"),
    "young-m": ("male-deep",),
    "adult-m": ("male-deep", "male-gravelly"),
    "elder-m": ("male-gravelly", "elder-creaky"),
}
HAIR_STYLES = {
    "f": (
        "{c} hair in a loose braid", "short {c} curls", "long straight {c} hair", "{c} hair in a high ponytail",
        "a sharp {c} bob",
    ),
    "m": ("short {c} hair", "messy {c} curls", "{c} hair swept back", "close-cropped {c} hair", "shaggy {c} hair"),
}

SMALL_TITLE_WORDS = {"a", "an", "and", "at", "by", "during", "for", "from", "in", "of", "on", "the", "to", "with"}
SENTENCE_ENDINGS = ".!?…。！？"
WRITER_SALT = "dreamreel-template-writer-v1"
"""Mixed into the seed so this writer's randomness never lines up with another stage's."""

# --- the writer -------------------------------------------------------------------------------


class TemplateWriter:
    """Writes a script from sentence banks; no model, no network, same request gives same script."""

    name = "template"
    languages = TEMPLATE_LANGUAGES

    def write(self, request: FilmRequest) -> Script:
        if request.language not in self.languages:
            raise ValueError(unwritable(request.language, self.name))
        story = Story.begin(request)
        plans = story.plan_scenes()
        texts = story.write_scene_texts(plans)
        scene_words = [sum(_words(line.text) for line in lines) for lines in texts]
        shot_counts = _shot_counts(scene_words, request.target_seconds)
        names = {person.character.id: person.character.name for person in story.cast}
        scenes = [
            Scene(
                index=plan.index,
                title=story.scene_title(plan),
                setting=plan.setting,
                lines=lines,
                shots=[shot.model_copy(update={"motion": shot_motion(shot, names, request.mood, plan.weather, request.seed)})
                       for shot in story.shots(plan, count)],
            )
            for plan, lines, count in zip(plans, texts, shot_counts)
        ]
        return Script(
            title=story.title(plans[0]),
            logline=story.logline(),
            genre=request.genre,
            style=request.style,
            language=request.language,
            mood=request.mood,
            characters=[person.character for person in story.cast],
            scenes=scenes,
        )


def scene_count_for(target_s: float) -> int:
    if target_s < SHORT_FILM_S:
        return 3
    return 5 if target_s >= LONG_FILM_S else 4


def word_target(request: FilmRequest) -> int:
    """Words of narration (dialogue included) the script aims for."""
    scene_count = scene_count_for(request.target_seconds)
    return round(WORDS_PER_MINUTE / 60 * speech_budget_s(request.target_seconds, scene_count) * word_fill(request.target_seconds))


def word_fill(target_s: float) -> float:
    """How full of words the speech budget is planned. The pauses between lines and sentences cost
    about the same few seconds in any film, which a short film's budget cannot absorb: a 20-second
    preview planned as full as a 5-minute film came out 12% long (measured over 24 scripts)."""
    return WORD_FILL - SHORT_FILM_FILL_CUT * max(0.0, (SHORT_FILL_FROM_S - target_s) / SHORT_FILL_FROM_S)


# --- reading the theme ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeHints:
    people: tuple[PersonHint, ...]
    places: tuple[str, ...]
    thing: str | None


def _lexicon_pattern(key: str) -> re.Pattern[str]:
    if key.isascii():
        return re.compile(rf"\b{re.escape(key)}(?P<plural>e?s)?\b")
    return re.compile(re.escape(key) + "(?P<plural>)")  # scripts without spaces have no word edges


_PATTERNS = {key: _lexicon_pattern(key) for lexicon in (PEOPLE, PLACES, THINGS) for key in lexicon}


def _find(text: str, lexicon: dict) -> list[tuple[int, str, bool]]:
    """(position, key, plural) for each lexicon entry in `text`; longer keys win overlaps."""
    found: list[tuple[int, str, bool]] = []
    taken: list[tuple[int, int]] = []
    for key in sorted(lexicon, key=len, reverse=True):
        for match in _PATTERNS[key].finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), key, bool(match.group("plural"))))
    return sorted(found)


def read_theme(theme: str) -> ThemeHints:
    """Pick out the people, places and central object a theme mentions, in the order it does."""
    text = theme.lower()
    people = [_person_hint(text, position, key, plural) for position, key, plural in _find(text, PEOPLE)]
    people = list({hint.role: hint for hint in reversed(people)}.values())[::-1]  # first mention of each role
    if people and people[0].kind == "human" and people[0].sex is None:
        people[0] = people[0]._replace(sex=_pronoun_sex(text))
    places = list(dict.fromkeys(PLACES[key] for _, key, _ in _find(text, PLACES)))
    things = [THINGS[key] for _, key, _ in _find(text, THINGS)]
    return ThemeHints(tuple(people), tuple(places), things[0] if things else None)


def _person_hint(text: str, position: int, key: str, plural: bool) -> PersonHint:
    hint = PEOPLE[key]._replace(plural=plural)
    words_before = text[:position].split()
    if words_before and words_before[-1] in AGE_MODIFIERS:
        hint = hint._replace(age=AGE_MODIFIERS[words_before[-1]])
    return hint


def _role_sex(role: str) -> str | None:
    """The sex a role's own words imply ('landlady', 'estranged brother'), if any."""
    if re.search(FEMALE_ROLE_WORDS, role):
        return "f"
    if re.search(MALE_ROLE_WORDS, role):
        return "m"
    return None


def _pronoun_sex(text: str) -> str | None:
    if re.search(r"\b(she|her|herself)\b", text):
        return "f"
    if re.search(r"\b(he|his|him|himself)\b", text):
        return "m"
    return None


# --- the cast ---------------------------------------------------------------------------------

PRONOUNS = {"f": ("she", "her", "her"), "m": ("he", "his", "him")}


@dataclass(frozen=True)
class Person:
    character: Character
    sex: str
    role_noun: str
    brief: str
    """A few visual words for shot prompts, e.g. 'red hair, teal raincoat'."""

    @property
    def name(self) -> str:
        return self.character.name

    def pronouns(self, prefix: str = "") -> dict[str, str]:
        he, his, him = PRONOUNS[self.sex]
        return {f"{prefix}he": he, f"{prefix}his": his, f"{prefix}him": him}


@dataclass
class Taken:
    """Names, colours and props earlier characters already have, so each character stands apart."""

    names: set[str] = field(default_factory=set)
    colours: set[str] = field(default_factory=set)
    props: set[str] = field(default_factory=set)
    hair: set[str] = field(default_factory=set)
    voices: set[str] = field(default_factory=set)


def _cast(hints: ThemeHints, kit: GenreKit, size: int, rng: random.Random) -> list[Person]:
    roles = list(hints.people)
    if roles and roles[0].plural:  # "two rival chefs": hero and ally share the role
        roles.insert(1, roles[0])
    if not roles:
        roles.append(PersonHint(rng.choice(kit.hero_roles)))
    supports = rng.sample(kit.support_roles, len(kit.support_roles))
    size = max(size, min(len(roles), 4))
    while len(roles) < size:
        role = supports.pop()
        roles.append(PersonHint(role, sex=_role_sex(role)))
    taken = Taken()
    return [_person(hint, kit, rng, taken) for hint in roles[:size]]


def _person(hint: PersonHint, kit: GenreKit, rng: random.Random, taken: Taken) -> Person:
    sex = hint.sex or rng.choice("fm")
    age = hint.age or rng.choice(("young", "adult", "adult", "elder"))
    name = _fresh(rng, CREATURE_NAMES.get(hint.kind) or (FEMALE_NAMES if sex == "f" else MALE_NAMES), taken.names)
    if hint.kind == "human":
        look, brief = _human_look(age, sex, kit, hint.prop, rng, taken)
    else:
        look, brief = _creature_look(hint.kind, rng, taken)
    character = Character(
        id=_identifier(name),
        name=name,
        role=f"the {hint.role}",
        age=age,
        look=look,
        voice=_voice(age, sex, rng, taken),
    )
    return Person(character, sex, hint.role, brief)


def _human_look(
    age: str, sex: str, kit: GenreKit, prop: str | None, rng: random.Random, taken: Taken
) -> tuple[str, str]:
    hair_colour = _fresh(rng, HAIR_COLOURS[age], taken.hair)
    hair = rng.choice(HAIR_STYLES[sex]).format(c=hair_colour)
    colour = _fresh(rng, COLOURS, taken.colours)
    garment = rng.choice([g for g in kit.garments if sex == "f" or not re.search(r"dress|nightgown", g)])
    feature = prop or _fresh(rng, kit.props, taken.props)
    look = f"{_age_phrase(age, sex, rng)} with {hair}, in {_article(colour)} {colour} {garment}, always with {feature}"
    return look, f"{hair_colour} hair, {colour} {garment}"


def _creature_look(kind: str, rng: random.Random, taken: Taken) -> tuple[str, str]:
    palette, template = CREATURE_LOOKS[kind]
    body = _fresh(rng, palette, taken.colours)
    accent, trim = _fresh(rng, COLOURS, taken.colours), _fresh(rng, COLOURS, taken.colours)
    return template.format(c1=body, c2=accent, c3=trim), f"{body} {kind}"


def _fresh(rng: random.Random, options: Iterable[str], used: set[str]) -> str:
    """A random option nobody has yet (any option once all are used), marked as used."""
    options = list(options)
    choice = rng.choice([option for option in options if option not in used] or options)
    used.add(choice)
    return choice


def _age_phrase(age: str, sex: str, rng: random.Random) -> str:
    noun = "woman" if sex == "f" else "man"
    if age == "child":
        return f"a {'girl' if sex == 'f' else 'boy'} of about {rng.choice(('eight', 'nine', 'ten', 'eleven'))}"
    if age == "young":
        return f"a young {noun}"
    if age == "elder":
        return f"an old {noun}"
    return f"a {noun} in {PRONOUNS[sex][1]} {rng.choice(('thirties', 'forties', 'fifties'))}"


def _voice(age: str, sex: str, rng: random.Random, taken: Taken) -> str:
    return _fresh(rng, VOICE_OPTIONS[age if age == "child" else f"{age}-{sex}"], taken.voices)


def _identifier(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    return slug if slug[:1].isalpha() else f"c_{slug}"


# --- decks: drawing templates without repeats -------------------------------------------------

Render = Callable[[str], str]
"""Fills a template's slots."""


class Deck:
    """Hands out templates without repeats, earlier tiers first; starts over once all are used."""

    def __init__(self, rng: random.Random, *tiers: Iterable[str]):
        self._rng = rng
        self._tiers = [list(tier) for tier in tiers]
        self._left: list[str] = []
        self._ensure_some_left()

    @property
    def unused(self) -> int:
        return len(self._left)

    def _ensure_some_left(self) -> None:
        if self._left:
            return
        for tier in reversed(self._tiers):  # drawn from the end, so the first tier comes out first
            shuffled = tier[:]
            self._rng.shuffle(shuffled)
            self._left += shuffled

    def pick(self, render: Render, fits: Callable[[str], bool] = lambda text: True) -> str | None:
        """The first unused template whose rendering `fits`, rendered; None if none does."""
        self._ensure_some_left()
        for position in range(len(self._left) - 1, -1, -1):
            text = render(self._left[position])
            if fits(text):
                del self._left[position]
                return text
        return None

    def best(self, render: Render, score: Callable[[str], int]) -> str:
        """The unused template whose rendering scores lowest, rendered."""
        self._ensure_some_left()
        rendered = [render(template) for template in self._left]
        position = min(range(len(rendered)), key=lambda i: score(rendered[i]))
        del self._left[position]
        return rendered[position]


# --- the story --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenePlan:
    index: int
    beat: str
    place: str
    time: tuple[str, str]
    weather: str
    cast: tuple[Person, ...]
    visuals: tuple[str, ...]

    @property
    def setting(self) -> str:
        return f"{_capital(self.place)}, {self.time[0]}, with {self.weather}; {self.visuals[0]} and {self.visuals[1]}"


class SceneDraft:
    """A scene's narration as it is written: its sentences and the words it has left."""

    def __init__(self, plan: ScenePlan, budget: int, render: Render):
        self.plan = plan
        self.left = budget
        self.render = render
        self.sentences: list[str] = []
        self.ending: list[str] = []

    def text(self) -> list[str]:
        return self.sentences + self.ending

    def fits(self, sentence: str) -> bool:
        # The scene's weather is fixed, so a second sentence naming it would repeat it word for word.
        repeats_weather = self.plan.weather in sentence and any(self.plan.weather in s for s in self.text())
        return _words(sentence) <= self.left + 1 and not repeats_weather

    def add(self, sentence: str, first: bool = False, last: bool = False) -> None:
        """Append `sentence`, or put it first, or keep it for the very end of the scene."""
        if last:
            self.ending.append(sentence)
        else:
            self.sentences.insert(0 if first else len(self.sentences), sentence)
        self.left -= _words(sentence)


@dataclass
class Story:
    request: FilmRequest
    kit: GenreKit
    rng: random.Random
    hints: ThemeHints
    cast: list[Person]
    thing: str
    decks: dict[str, Deck]
    used_descriptions: set[str] = field(default_factory=set)

    @classmethod
    def begin(cls, request: FilmRequest) -> Story:
        rng = _rng_for(request)
        kit = GENRE_KITS[request.genre]
        hints = read_theme(request.theme)
        cast_size = 2 if request.target_seconds < SHORT_FILM_S else rng.choice((2, 3, 3, 4))
        cast = _cast(hints, kit, cast_size, rng)
        thing = hints.thing or rng.choice(kit.things)
        decks = {
            "atmosphere": Deck(rng, kit.atmosphere, GENERIC_ATMOSPHERE),
            "closers": Deck(rng, kit.closers, GENERIC_CLOSERS),
            "openers": Deck(rng, OPENERS),
            "intros": Deck(rng, THEME_INTROS),
            "introductions": Deck(rng, INTRODUCTIONS),
            "echoes": Deck(rng, THEME_ECHOES),
            "actions": Deck(rng, kit.actions, GENERIC_ACTIONS),
            "expressions": Deck(rng, EXPRESSIONS),
        }
        for beat in BEAT_WEIGHT:
            decks[beat] = Deck(rng, kit.beats[beat], GENERIC_BEATS[beat])
            decks[f"dialogue:{beat}"] = Deck(rng, kit.dialogue[beat], GENERIC_DIALOGUE[beat])
        return cls(request, kit, rng, hints, cast, thing, decks)

    @property
    def hero(self) -> Person:
        return self.cast[0]

    @property
    def theme_sentence(self) -> str:
        theme = self.request.theme
        return theme if theme[-1] in SENTENCE_ENDINGS else f"{theme}."

    # planning

    def plan_scenes(self) -> list[ScenePlan]:
        count = scene_count_for(self.request.target_seconds)
        times = sorted(self.rng.sample(range(len(self.kit.times)), count))
        weathers = self.rng.sample(self.kit.weathers, count)
        places = self._scene_places(count)
        return [
            ScenePlan(
                index=number,
                beat=beat,
                place=places[number - 1],
                time=self.kit.times[times[number - 1]],
                weather=weathers[number - 1],
                cast=self._scene_cast(beat),
                visuals=tuple(self.rng.sample(STYLE_VISUALS[self.request.style], 2)),
            )
            for number, beat in enumerate(ARCS[count], start=1)
        ]

    def _scene_places(self, count: int) -> list[str]:
        """The theme's own place opens and closes the film; the genre supplies the places between."""
        genre_places = self.rng.sample(self.kit.places, len(self.kit.places))
        theme_places = list(self.hints.places)
        home = theme_places[0] if theme_places else genre_places.pop()
        middle = theme_places[1:2] + genre_places
        ending = home if theme_places or self.rng.random() < 0.5 else genre_places.pop()
        return [home, *middle[: count - 2], ending]

    def _scene_cast(self, beat: str) -> tuple[Person, ...]:
        others = self.cast[1:]
        if beat == "climax":
            return tuple(self.cast)
        chosen = set(self.rng.sample(range(len(others)), self.rng.randint(1, min(2, len(others)))))
        return (self.hero, *(person for i, person in enumerate(others) if i in chosen))

    def scene_word_targets(self, plans: list[ScenePlan]) -> list[int]:
        weights = [BEAT_WEIGHT[plan.beat] * self.rng.uniform(0.9, 1.1) for plan in plans]
        total = word_target(self.request)
        return [round(total * weight / sum(weights)) for weight in weights]

    # text

    def slots(self, plan: ScenePlan) -> dict[str, str]:
        """Values for every template slot; the open-ended ones are drawn afresh on each call."""
        kit, rng, hero = self.kit, self.rng, self.hero
        ally = plan.cast[1] if len(plan.cast) > 1 else self.cast[1]
        values = {
            "hero": hero.name,
            **hero.pronouns(),
            "hero_role_a": _with_article(hero.role_noun),
            "ally": ally.name,
            **ally.pronouns("ally_"),
            "ally_role_a": _with_article(ally.role_noun),
            "place": plan.place,
            "time": plan.time[0],
            "at_time": plan.time[1],
            "weather": plan.weather,
            "thing": self.thing,
            "Thing_n": _title_case(_without_article(self.thing)),
            "Place_n": _title_case(_without_article(self.hints.places[0] if self.hints.places else plan.place)),
            "mood": rng.choice(kit.moods),
            "feeling": rng.choice(kit.feelings),
            "sound": rng.choice(kit.sounds),
            "detail": rng.choice(kit.details),
            "theme_sentence": self.theme_sentence,
        }
        capitals = {_capital(key): _capital(value) for key, value in values.items() if key[0].islower()}
        return {**values, **capitals}

    def render(self, plan: ScenePlan) -> Render:
        return lambda template: template.format_map(self.slots(plan))

    def write_scene_texts(self, plans: list[ScenePlan]) -> list[list[Line]]:
        """Each scene's lines; a scene that runs long or short moves the difference to the next."""
        texts: list[list[Line]] = []
        planned = written = 0
        for plan, target in zip(plans, self.scene_word_targets(plans)):
            planned += target
            lines = self.write_scene_text(plan, planned - written)
            written += sum(_words(line.text) for line in lines)
            texts.append(lines)
        return texts

    def write_scene_text(self, plan: ScenePlan, target: int) -> list[Line]:
        dialogue = self._dialogue(plan, target)
        budget = target - sum(_words(line.text) for line in dialogue)
        sentences = self._narration(plan, budget)
        return _interleave(self._narrator_lines(sentences), dialogue)

    def _dialogue(self, plan: ScenePlan, target: int) -> list[Line]:
        count = 1 if target < 60 else self.rng.choice((1, 2, 2))
        max_words = max(3, target // 5)
        deck = self.decks[f"dialogue:{plan.beat}"]
        render = self.render(plan)
        speakers = self.rng.sample(plan.cast, len(plan.cast))
        lines = []
        for speaker in speakers[:count]:
            text = deck.pick(render, lambda t: _words(t) <= max_words) or deck.best(render, _words)
            lines.append(Line(speaker=speaker.character.id, text=text))
        return lines

    def _narration(self, plan: ScenePlan, budget: int) -> list[str]:
        """Sentences for one scene, adding up to `budget` words give or take a couple."""
        draft = SceneDraft(plan, budget, self.render(plan))
        if plan.index == 1:
            intros = self.decks["intros"]
            draft.add(intros.pick(draft.render, draft.fits) or intros.best(draft.render, _words))
        if draft.left >= OPENER_MIN_WORDS:
            draft.add(self.decks["openers"].pick(draft.render), first=True)
        if plan.beat == "setup" and draft.left >= OPENER_MIN_WORDS:
            draft.add(self.decks["introductions"].pick(draft.render))
        if echo := self._theme_echo(plan, draft):
            draft.add(echo, last=True)
        while draft.left > CLOSER_ZONE and (sentence := self._next_sentence(plan, draft)):
            draft.add(sentence)
        for sentence in self._closers(draft):
            draft.add(sentence)
        return draft.text() or [self.decks["closers"].best(draft.render, _words)]

    def _theme_echo(self, plan: ScenePlan, draft: SceneDraft) -> str:
        """Long films come back to the theme at the very end."""
        if plan.beat != "resolution" or draft.left < 60:
            return ""
        return self.decks["echoes"].pick(draft.render) or ""

    def _next_sentence(self, plan: ScenePlan, draft: SceneDraft) -> str | None:
        beat_deck, atmosphere = self.decks[plan.beat], self.decks["atmosphere"]
        decks = [beat_deck, atmosphere] if self.rng.random() < 0.75 else [atmosphere, beat_deck]
        decks.sort(key=lambda deck: deck.unused == 0)  # a fresh template beats a reused one
        for deck in decks:
            sentence = deck.pick(draft.render, draft.fits)
            if sentence:
                return sentence
        return None

    def _closers(self, draft: SceneDraft) -> list[str]:
        """Short sentences that land the scene on its word budget."""
        closers: list[str] = []
        left = draft.left
        deck = self.decks["closers"]
        for _ in range(3):
            if left < 2:
                break
            sentence = deck.pick(draft.render, lambda t: abs(_words(t) - left) <= 1)
            sentence = sentence or deck.pick(draft.render, lambda t: _words(t) <= left)
            if not sentence:
                break
            closers.append(sentence)
            left -= _words(sentence)
        return closers

    def _narrator_lines(self, sentences: list[str]) -> list[Line]:
        lines, position = [], 0
        while position < len(sentences):
            size = self.rng.choice((1, 2, 2, 3))
            lines.append(Line(speaker=NARRATOR, text=" ".join(sentences[position : position + size])))
            position += size
        return lines

    # titles

    def scene_title(self, plan: ScenePlan) -> str:
        pattern = self.rng.choice(SCENE_TITLES[plan.beat])
        return _title_case(pattern.format_map(self.slots(plan)))

    def title(self, first_scene: ScenePlan) -> str:
        theme = self.request.theme
        if not (self.hints.thing or self.hints.places) and len(theme) <= 40:
            return theme  # a short theme with nothing to build on is its own best title
        return _title_case(self.rng.choice(self.kit.titles).format_map(self.slots(first_scene)))

    def logline(self) -> str:
        hero = self.hero
        return (
            f"{self.theme_sentence} In this {self.rng.choice(self.kit.moods)} {self.kit.noun}, {hero.name}, "
            f"{_with_article(hero.role_noun)}, must {self.rng.choice(self.kit.goals)} "
            f"before {self.rng.choice(self.kit.stakes)}."
        )

    # shots

    def shots(self, plan: ScenePlan, count: int) -> list[Shot]:
        types = _shot_types(count, can_pair=len(plan.cast) > 1, rng=self.rng)
        moves = _camera_moves(types, self.rng)
        return [self._shot(plan, number, kind, move) for number, (kind, move) in enumerate(zip(types, moves), start=1)]

    def _shot(self, plan: ScenePlan, number: int, kind: str, camera: str) -> Shot:
        in_frame, description = self._framing(plan, number, kind)
        return Shot(
            id=f"s{plan.index}-sh{number}",
            description=self._with_light(description, plan),
            shot_type=kind,
            camera=camera,
            characters=[person.character.id for person in in_frame],
            weight=round(self.rng.uniform(*SHOT_WEIGHTS[kind]), 2),
        )

    def _framing(self, plan: ScenePlan, number: int, kind: str) -> tuple[list[Person], str]:
        """Who is in frame and what the picture shows, before light and style are added."""
        rng, cast = self.rng, plan.cast
        focus = cast[(number + plan.index) % len(cast)]
        partner = cast[(number + plan.index + 1) % len(cast)]
        where = f"{plan.place} {plan.time[1]}"
        if kind == "establishing":
            return [], f"Establishing view of {where}, {rng.choice(self.kit.details)}"
        if kind == "wide":
            return list(cast), f"Wide shot of {_who(cast)} {self._action()} in {where}"
        if kind == "medium":
            pair = [focus, partner] if partner is not focus and rng.random() < 0.5 else [focus]
            return pair, f"Medium shot of {_who(pair)} {self._action()}, {plan.place} behind"
        if kind == "over-the-shoulder":
            return [focus, partner], (
                f"Over-the-shoulder shot from behind {focus.name} toward {_who([partner])}, "
                f"{self._action()}, in {plan.place}"
            )
        if rng.random() < 0.3:  # a close-up insert of the story's object
            return [], f"Close-up of {self.thing} {rng.choice(THING_POSES)} in {where}"
        expression = self.decks["expressions"].pick(lambda t: t.format(feeling=rng.choice(self.kit.feelings)))
        return [focus], f"Close-up of {focus.name}'s face ({focus.brief}), {expression}"

    def _action(self) -> str:
        return self.decks["actions"].pick(lambda template: template.format(thing=self.thing))

    def _with_light(self, description: str, plan: ScenePlan) -> str:
        """Finish a shot prompt with the scene's light and style; re-rolled so no two prompts match."""
        visuals = STYLE_VISUALS[self.request.style]
        for _ in range(8):
            finished = f"{_capital(description)}, with {plan.weather}; {', '.join(self.rng.sample(visuals, 2))}."
            if finished not in self.used_descriptions:
                break
        self.used_descriptions.add(finished)
        return finished


SHOT_WEIGHTS = {
    "establishing": (1.1, 1.4),
    "wide": (1.0, 1.3),
    "medium": (0.9, 1.2),
    "close-up": (0.8, 1.0),
    "over-the-shoulder": (0.9, 1.1),
}
SHOT_MIX = ("wide", "medium", "medium", "close-up", "close-up", "over-the-shoulder")
PREFERRED_MOVES = {
    "establishing": ("pull-out", "pan-left", "pan-right", "tilt-down"),
    "wide": ("pan-left", "pan-right", "pull-out", "static"),
    "medium": ("static", "push-in", "pan-left", "pan-right"),
    "close-up": ("push-in", "static", "tilt-up"),
    "over-the-shoulder": ("static", "push-in", "pan-right"),
}



def _shot_types(count: int, can_pair: bool, rng: random.Random) -> list[str]:
    types = ["establishing" if rng.random() < 0.65 else "wide"]
    mix = [kind for kind in SHOT_MIX if can_pair or kind != "over-the-shoulder"]
    while len(types) < count:
        kind = rng.choice(mix)
        if kind != types[-1]:
            types.append(kind)
    return types


def _camera_moves(types: list[str], rng: random.Random) -> list[str]:
    moves: list[str] = []
    for kind in types:
        options = PREFERRED_MOVES[kind] if rng.random() < 0.7 else CAMERA_MOVES
        moves.append(rng.choice([move for move in options if not moves or move != moves[-1]]))
    return moves


def _shot_counts(scene_words: list[int], target_s: float) -> list[int]:
    """Shots per scene: about one per SECONDS_PER_SHOT of film, shared by narration length."""
    minimum = MIN_SHOTS_PER_SCENE * len(scene_words)
    extra = max(round(target_s / SECONDS_PER_SHOT), minimum) - minimum
    total_words = max(sum(scene_words), 1)
    shares = [extra * words / total_words for words in scene_words]
    counts = [MIN_SHOTS_PER_SCENE + int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[: minimum + extra - sum(counts)]:
        counts[i] += 1
    return counts


# --- small helpers ----------------------------------------------------------------------------


def _rng_for(request: FilmRequest) -> random.Random:
    digest = hashlib.sha256(f"{WRITER_SALT}\n{request.model_dump_json()}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _interleave(narration: list[Line], dialogue: list[Line]) -> list[Line]:
    """Dialogue goes after the first narrator line and before the last, so narration frames it."""
    if not dialogue:
        return narration
    lines = narration[:1] + dialogue[:1] + narration[1:]
    if len(dialogue) > 1:
        lines.insert(max(len(lines) - 1, 2), dialogue[1])
    return lines


def _who(people: list[Person]) -> str:
    described = [f"{person.name} ({person.brief})" for person in people]
    return described[0] if len(described) == 1 else ", ".join(described[:-1]) + " and " + described[-1]


def _words(text: str) -> int:
    return len(text.split())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_article(noun: str) -> str:
    return f"{_article(noun)} {noun}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _without_article(phrase: str) -> str:
    return re.sub(r"^(the|a|an) ", "", phrase)


def _title_case(text: str) -> str:
    words = text.split()
    return " ".join(
        word.lower() if i and word.lower() in SMALL_TITLE_WORDS else _capital(word) for i, word in enumerate(words)
    )
