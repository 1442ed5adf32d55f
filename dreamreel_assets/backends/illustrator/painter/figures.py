"""Figures: one character drawn from their design, in a pose."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dreamreel_assets.backends.illustrator.painter.basics import RGB, ellipse_points, mix, scaled
from dreamreel_assets.backends.illustrator.painter.canvas import Canvas
from dreamreel_assets.backends.illustrator.painter.designs import CharacterDesign
from dreamreel_assets.backends.illustrator.painter.effects import outline


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
