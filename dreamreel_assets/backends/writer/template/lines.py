"""A scene's lines: narration drawn from the decks until it reaches its share of the words, and dialogue."""

from __future__ import annotations

from dreamreel_assets.backends.writer.template.decks import Render
from dreamreel_assets.backends.writer.template.story import ScenePlan, Story
from dreamreel_assets.backends.writer.template.words import words
from dreamreel_assets.models import NARRATOR, Line

CLOSER_ZONE = 10
"""Below this many words left, a scene is topped up with short closing sentences."""
OPENER_MIN_WORDS = 25
"""A scene needs at least this many narration words before it gets a descriptive opener."""


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
        return words(sentence) <= self.left + 1 and not repeats_weather

    def add(self, sentence: str, first: bool = False, last: bool = False) -> None:
        """Append `sentence`, or put it first, or keep it for the very end of the scene."""
        if last:
            self.ending.append(sentence)
        else:
            self.sentences.insert(0 if first else len(self.sentences), sentence)
        self.left -= words(sentence)


def write_scene_texts(story: Story, plans: list[ScenePlan]) -> list[list[Line]]:
    """Each scene's lines; a scene that runs long or short moves the difference to the next."""
    texts: list[list[Line]] = []
    planned = written = 0
    for plan, target in zip(plans, story.scene_word_targets(plans)):
        planned += target
        lines = write_scene_text(story, plan, planned - written)
        written += sum(words(line.text) for line in lines)
        texts.append(lines)
    return texts


def write_scene_text(story: Story, plan: ScenePlan, target: int) -> list[Line]:
    dialogue = _dialogue(story, plan, target)
    budget = target - sum(words(line.text) for line in dialogue)
    sentences = _narration(story, plan, budget)
    return _interleave(_narrator_lines(story, sentences), dialogue)


def _dialogue(story: Story, plan: ScenePlan, target: int) -> list[Line]:
    count = 1 if target < 60 else story.rng.choice((1, 2, 2))
    max_words = max(3, target // 5)
    deck = story.decks[f"dialogue:{plan.beat}"]
    render = story.render(plan)
    speakers = story.rng.sample(plan.cast, len(plan.cast))
    lines = []
    for speaker in speakers[:count]:
        text = deck.pick(render, lambda t: words(t) <= max_words) or deck.best(render, words)
        lines.append(Line(speaker=speaker.character.id, text=text))
    return lines


def _narration(story: Story, plan: ScenePlan, budget: int) -> list[str]:
    """Sentences for one scene, adding up to `budget` words give or take a couple."""
    draft = SceneDraft(plan, budget, story.render(plan))
    if plan.index == 1:
        intros = story.decks["intros"]
        draft.add(intros.pick(draft.render, draft.fits) or intros.best(draft.render, words))
    if draft.left >= OPENER_MIN_WORDS:
        draft.add(story.decks["openers"].pick(draft.render), first=True)
    if plan.beat == "setup" and draft.left >= OPENER_MIN_WORDS:
        draft.add(story.decks["introductions"].pick(draft.render))
    if echo := _theme_echo(story, plan, draft):
        draft.add(echo, last=True)
    while draft.left > CLOSER_ZONE and (sentence := _next_sentence(story, plan, draft)):
        draft.add(sentence)
    for sentence in _closers(story, draft):
        draft.add(sentence)
    return draft.text() or [story.decks["closers"].best(draft.render, words)]


def _theme_echo(story: Story, plan: ScenePlan, draft: SceneDraft) -> str:
    """Long films come back to the theme at the very end."""
    if plan.beat != "resolution" or draft.left < 60:
        return ""
    return story.decks["echoes"].pick(draft.render) or ""


def _next_sentence(story: Story, plan: ScenePlan, draft: SceneDraft) -> str | None:
    beat_deck, atmosphere = story.decks[plan.beat], story.decks["atmosphere"]
    decks = [beat_deck, atmosphere] if story.rng.random() < 0.75 else [atmosphere, beat_deck]
    decks.sort(key=lambda deck: deck.unused == 0)  # a fresh template beats a reused one
    for deck in decks:
        sentence = deck.pick(draft.render, draft.fits)
        if sentence:
            return sentence
    return None


def _closers(story: Story, draft: SceneDraft) -> list[str]:
    """Short sentences that land the scene on its word budget."""
    closers: list[str] = []
    left = draft.left
    deck = story.decks["closers"]
    for _ in range(3):
        if left < 2:
            break
        sentence = deck.pick(draft.render, lambda t: abs(words(t) - left) <= 1)
        sentence = sentence or deck.pick(draft.render, lambda t: words(t) <= left)
        if not sentence:
            break
        closers.append(sentence)
        left -= words(sentence)
    return closers


def _narrator_lines(story: Story, sentences: list[str]) -> list[Line]:
    lines, position = [], 0
    while position < len(sentences):
        size = story.rng.choice((1, 2, 2, 3))
        lines.append(Line(speaker=NARRATOR, text=" ".join(sentences[position : position + size])))
        position += size
    return lines


def _interleave(narration: list[Line], dialogue: list[Line]) -> list[Line]:
    """Dialogue goes after the first narrator line and before the last, so narration frames it."""
    if not dialogue:
        return narration
    lines = narration[:1] + dialogue[:1] + narration[1:]
    if len(dialogue) > 1:
        lines.insert(max(len(lines) - 1, 2), dialogue[1])
    return lines
