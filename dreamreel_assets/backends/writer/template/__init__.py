"""The embedded script writer: a seeded template story engine that needs no model and no network.

A request becomes a story in four steps: read hints from the theme (who, where, what object:
`theme`), cast two to four characters (`cast`), plan the scenes along a story arc (`story`), then
fill each scene with narration drawn from the genre's and the shared sentence banks until it
reaches its share of the spoken-word budget (`lines`), and frame its shots (`shots`). The genre's
kit comes from the catalog (data/genres/*.toml), the shared banks from data/template_writer/.
Every random choice comes from one RNG seeded by a hash of the request, so the same request
always gives the same script.

Templates are plain `str.format` strings. The theme only ever enters as a slot *value*, so braces
or instructions inside it are inert text.
"""

from __future__ import annotations

from dreamreel_assets.backends.writer.motion import shot_motion
from dreamreel_assets.backends.writer.template.lines import write_scene_texts
from dreamreel_assets.backends.writer.template.shots import scene_shots
from dreamreel_assets.backends.writer.template.sizing import scene_count_for, shot_counts, word_fill, word_target
from dreamreel_assets.backends.writer.template.story import Story
from dreamreel_assets.backends.writer.template.words import words
from dreamreel_assets.languages import TEMPLATE_LANGUAGES, unwritable
from dreamreel_assets.models import FilmRequest, Scene, Script

__all__ = ["TemplateWriter", "scene_count_for", "word_fill", "word_target"]


class TemplateWriter:
    """Writes a script from sentence banks; no model, no network, same request gives same script."""

    name = "template"
    languages = TEMPLATE_LANGUAGES

    def write(self, request: FilmRequest) -> Script:
        if request.language not in self.languages:
            raise ValueError(unwritable(request.language, self.name))
        story = Story.begin(request)
        plans = story.plan_scenes()
        texts = write_scene_texts(story, plans)
        scene_words = [sum(words(line.text) for line in lines) for lines in texts]
        names = {person.character.id: person.character.name for person in story.cast}
        scenes = [
            Scene(
                index=plan.index,
                title=story.scene_title(plan),
                setting=plan.setting,
                lines=lines,
                shots=[shot.model_copy(update={"motion": shot_motion(shot, names, request.mood, plan.weather, request.seed)})
                       for shot in scene_shots(story, plan, count)],
            )
            for plan, lines, count in zip(plans, texts, shot_counts(scene_words, request.target_seconds))
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
