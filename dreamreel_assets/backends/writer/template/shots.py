"""A scene's shots: their kinds, camera moves, who is in frame and the picture's prompt."""

from __future__ import annotations

import random

from dreamreel_assets.backends.writer.template.banks import writer_data
from dreamreel_assets.backends.writer.template.cast import Person
from dreamreel_assets.backends.writer.template.story import ScenePlan, Story
from dreamreel_assets.backends.writer.template.words import capital
from dreamreel_assets.models import CAMERA_MOVES, Shot

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
THING_INSERT_CHANCE = 0.3
"""How often a close-up shows the story's object rather than a face."""


def scene_shots(story: Story, plan: ScenePlan, count: int) -> list[Shot]:
    types = _shot_types(count, can_pair=len(plan.cast) > 1, rng=story.rng)
    moves = _camera_moves(types, story.rng)
    return [_shot(story, plan, number, kind, move) for number, (kind, move) in enumerate(zip(types, moves), start=1)]


def _shot(story: Story, plan: ScenePlan, number: int, kind: str, camera: str) -> Shot:
    in_frame, description = _framing(story, plan, number, kind)
    return Shot(
        id=f"s{plan.index}-sh{number}",
        description=_with_light(story, description, plan),
        shot_type=kind,
        camera=camera,
        characters=[person.character.id for person in in_frame],
        weight=round(story.rng.uniform(*SHOT_WEIGHTS[kind]), 2),
    )


def _framing(story: Story, plan: ScenePlan, number: int, kind: str) -> tuple[list[Person], str]:
    """Who is in frame and what the picture shows, before light and style are added."""
    rng, cast = story.rng, plan.cast
    focus = cast[(number + plan.index) % len(cast)]
    partner = cast[(number + plan.index + 1) % len(cast)]
    where = f"{plan.place} {plan.time.phrase}"
    if kind == "establishing":
        return [], f"Establishing view of {where}, {rng.choice(story.in_world(story.genre.details, plan.world))}"
    if kind == "wide":
        return list(cast), f"Wide shot of {_who(cast)} {_action(story)} in {where}"
    if kind == "medium":
        pair = [focus, partner] if partner is not focus and rng.random() < 0.5 else [focus]
        return pair, f"Medium shot of {_who(pair)} {_action(story)}, {plan.place} behind"
    if kind == "over-the-shoulder":
        return [focus, partner], (
            f"Over-the-shoulder shot from behind {focus.name} toward {_who([partner])}, "
            f"{_action(story)}, in {plan.place}"
        )
    if rng.random() < THING_INSERT_CHANCE:
        pose = rng.choice(writer_data().sentences.thing_poses)
        return [], f"Close-up of {story.thing} {pose} in {where}"
    expression = story.decks["expressions"].pick(lambda t: t.format(feeling=rng.choice(story.genre.feelings)))
    return [focus], f"Close-up of {focus.name}'s face ({focus.brief}), {expression}"


def _action(story: Story) -> str:
    return story.decks["actions"].pick(lambda template: template.format(thing=story.thing))


def _with_light(story: Story, description: str, plan: ScenePlan) -> str:
    """Finish a shot prompt with the scene's light and style; re-rolled so no two prompts match."""
    for _ in range(8):
        finished = f"{capital(description)}, with {plan.weather}; {', '.join(story.rng.sample(story.light, 2))}."
        if finished not in story.used_descriptions:
            break
    story.used_descriptions.add(finished)
    return finished


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


def _who(people: list[Person]) -> str:
    described = [f"{person.name} ({person.brief})" for person in people]
    return described[0] if len(described) == 1 else ", ".join(described[:-1]) + " and " + described[-1]
