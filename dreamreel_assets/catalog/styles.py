"""Visual styles: one file each in data/styles/, holding everything that makes a look.

A style file says what the form shows (label, description), the words that ask a diffusion model
for the look (`[prompt]`), how the embedded painter draws the scene (`[drawing]`) and how it
finishes the picture (`[finish]`: one of the painter's finishing recipes with its numbers).
A new look is a new file: pick the recipe nearest to it and change its numbers.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, ValidationInfo, field_validator

from dreamreel_assets.catalog import CatalogModel, load_entries

Share = Annotated[float, Field(ge=0, le=1)]
"""A fraction: of the picture's short side for sizes, of full effect for strengths."""
Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Colour = Annotated[tuple[Share, Share, Share], Field(description="Red, green, blue, each 0-1.")]
Shift = Annotated[tuple[float, float, float], Field(description="Red, green, blue pushes, each about -0.2 to 0.2.")]
HexColour = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{6}$", description="'rrggbb'")]


class Prompt(CatalogModel):
    """Words for a diffusion model (the diffusers illustrator)."""

    words: str = Field(min_length=1, description="Added to every prompt: what the look is.")
    avoid: str = Field(min_length=1, description="Added to the negative prompt: looks to keep away.")


class Drawing(CatalogModel):
    """How the painter draws the scene, before the finish."""

    detail: float = Field(1.0, gt=0, le=1, description="Drawing size as a fraction of the output size "
                                                         "(never below 450 px on the short side).")
    roundness: float = Field(0.0, ge=0, le=0.5, description="Corner radius of boxes, as a fraction of their "
                                                              "shorter side.")
    sky_saturation: Positive = 1.0
    depth_of_field: bool = Field(False, description="Blur the backdrop behind close framings.")
    light_gain: float = Field(1.0, ge=0, description="How strongly glows (sun, lamps, lanterns) light the picture.")
    pixel_rows: int | None = Field(None, ge=16, description="Drawn in big square pixels, about this many on the "
                                                             "short side (and never out of focus).")


# Finishing recipes. Each is built from the effects it uses (the mixins below), every number
# required: a new style copies the file of the nearest built-in style and changes its numbers.


class Rounded(CatalogModel):
    """Shapes shaded as if their edges were rounded."""

    soften: Positive = Field(description="Blur sigma in px: the painter draws without anti-aliasing.")
    bevel: Share = Field(description="Width of the rounded edges, share of the short side.")


class SoftShaded(Rounded):
    shade: Share = Field(description="Strength of the rounded shading.")


class CelShaded(CatalogModel):
    """A hard shadow band on the far side of each shape, a lit band facing the light."""

    shadow: Colour = Field(description="What the shadow band multiplies colours by.")
    highlight: Share


class Bloomed(CatalogModel):
    bloom_threshold: Annotated[float, Field(ge=0, lt=1, description="Brightness above which light blooms.")]
    bloom: NonNegative
    contrast: Positive = Field(description="The tone curve's S: 1 leaves it straight.")


class Saturated(CatalogModel):
    saturation: NonNegative = Field(description="1 keeps the colours, 0 is grey.")


class Cinematic(SoftShaded, Bloomed, Saturated):
    """Soft rounded shading, bloom, vignette, film grain and a colour grade."""

    recipe: Literal["cinematic"]
    vignette: Share
    grain: Share
    shadows: Shift = Field(description="The grade's push in the darks.")
    highlights: Shift = Field(description="The grade's push in the brights.")


class Watercolor(Saturated):
    """Pale washes that wander past their lines, pigment pooling at the edges, on paper."""

    recipe: Literal["watercolor"]
    bleed: Share = Field(description="How far colour bleeds, share of the short side.")
    pools: Share = Field(description="How dark pigment pools at the edges of each wash.")
    granulation: Share


class Anime(Rounded, CelShaded, Saturated, Bloomed):
    """Cel shading with a lit band, bright colour, bloom and thin dark outlines."""

    recipe: Literal["anime"]
    outline: Share = Field(description="Line width, share of the short side.")
    outline_darken: Share = Field(description="Lines are the local colour times this.")


class Storybook(SoftShaded, Saturated):
    """Soft shading, coloured ink outlines, a warm muted tint and canvas texture."""

    recipe: Literal["storybook"]
    outline: Share
    ink: Colour
    tint: tuple[Positive, Positive, Positive] = Field(description="Red, green, blue multipliers.")
    lift: Colour = Field(description="Added to every colour: lifted blacks.")
    vignette: Share


class Noir(Rounded):
    """Black and white: hard shadows, ink outlines, a heavy vignette, high contrast and grain."""

    recipe: Literal["noir"]
    shadow: Share = Field(description="The shadow band's brightness.")
    highlight: Share
    outline: Share
    ink: Share = Field(description="The outlines' grey.")
    vignette: Share
    contrast: Positive
    grain: Share


class PixelArt(CelShaded, Saturated):
    """Cel shading, then every pixel dithered to the nearest colour of the style's `palette`."""

    recipe: Literal["pixel-art"]
    bevel: Positive = Field(description="In drawn pixels, not a share of the picture.")
    dither: Share = Field(description="Ordered dithering between palette colours.")
    ink: Share = Field(description="Outline pixels: the shape's colour times this, to the palette.")


class Claymation(SoftShaded, Saturated):
    """Round soft shapes with a glossy highlight, thumbprints in the clay."""

    recipe: Literal["claymation"]
    specular: Share = Field(description="The glossy spot on each lump of clay.")
    vignette: Share


class Comic(Saturated):
    """Bold flat colour, halftone dots in the shadows, thick ink outlines."""

    recipe: Literal["comic"]
    bevel: Share
    halftone: Share = Field(description="Dot spacing, share of the short side (at least 4 px).")
    dots: Share = Field(description="How dark a full dot is.")
    outline: Share
    ink: Colour


Finish = Annotated[Union[Cinematic, Watercolor, Anime, Storybook, Noir, PixelArt, Claymation, Comic],
                   Field(discriminator="recipe")]


class Style(CatalogModel):
    name: str
    label: str = Field(min_length=1, description="What the request form calls it.")
    description: str = Field(min_length=1, description="A line the form shows under the label.")
    prompt: Prompt
    drawing: Drawing = Drawing()
    finish: Finish
    palette: tuple[HexColour, ...] = Field((), validate_default=True,
                                           description="The only colours a `pixel-art` finish may use.")

    @field_validator("finish")
    @classmethod
    def pixel_art_is_drawn_in_pixels(cls, finish: Finish, info: ValidationInfo) -> Finish:
        drawing = info.data.get("drawing")
        if finish.recipe == "pixel-art" and drawing is not None and drawing.pixel_rows is None:
            raise ValueError("a pixel-art finish needs [drawing] pixel_rows")
        return finish

    @field_validator("palette")
    @classmethod
    def enough_colours_to_quantize_to(cls, palette: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        finish = info.data.get("finish")
        if finish is not None and finish.recipe == "pixel-art" and len(palette) < 2:
            raise ValueError("a pixel-art finish needs at least 2 colours")
        return palette


def styles() -> dict[str, Style]:
    """Every style by name: the built-in ones and those DREAMREEL_DATA_PATHS adds."""
    return load_entries("styles", Style)
