"""Text and legends drawn into the frame — the same in the window and in videos.

A legend is a colour bar filled on the GPU with the layer's colormap (shaders/common/colormap.glsl,
so the bar shows exactly the colours of the layer) plus its label, unit and values, which Pillow
draws into a small RGBA image. Status and help lines are another small text image. Each text image
is rebuilt only when its text or the frame size changes.

Text is drawn with Pillow's bundled font (the same on every machine), which lacks some glyphs that
units use: superscript digits (m³, km²) are drawn as small raised digits, and the few other missing
characters as their ASCII look-alikes (SUBSTITUTES), so no text shows a missing-glyph box
(`missing_glyphs` names any that would). A legend box is as wide as its title; a title wider than
TITLE_MAX_FRACTION of the frame is wrapped onto two lines.
"""
from __future__ import annotations

import numpy as np

from .passes import vertex_source
from .shaderlib import ProgramCache, Source, compile_program

MARGIN = 12
TITLE_MAX_FRACTION = 0.45   # of the frame width: a longer legend title wraps onto a second line
SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                "⁹": "9", "⁻": "-"}
SUBSTITUTES = {"—": "-", "–": "-", "−": "-", "×": "x", "µ": "u", "→": "->", "’": "'", "“": '"', "”": '"'}
SUPER_SCALE, SUPER_RAISE = 0.7, 0.1   # superscripts: size and lift, as fractions of the font size

_FONTS: dict = {}


def _font(px: int):
    from PIL import ImageFont

    if px not in _FONTS:
        _FONTS[px] = ImageFont.load_default(size=px)
    return _FONTS[px]


def _has_glyph(font, ch: str) -> bool:
    """Whether `font` draws `ch` with its own glyph (not the missing-glyph box)."""
    key = ("glyphs", id(font))
    cache = _FONTS.setdefault(key, {})
    if ch not in cache:
        if ch.isspace():
            cache[ch] = True
        else:
            box = font.getmask("\uffff")
            cache[ch] = bytes(font.getmask(ch)) != bytes(box) or font.getmask(ch).size != box.size
    return cache[ch]


def _runs(text: str, font) -> list[tuple[str, bool]]:
    """`text` as runs of (text, superscript), with missing glyphs replaced."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        sup = ch in SUPERSCRIPTS and not _has_glyph(font, ch)
        out = SUPERSCRIPTS[ch] if sup else ch if _has_glyph(font, ch) else SUBSTITUTES.get(ch, ch)
        if runs and runs[-1][1] == sup:
            runs[-1] = (runs[-1][0] + out, sup)
        else:
            runs.append((out, sup))
    return runs


def missing_glyphs(text: str, px: int = 16) -> str:
    """The characters of `text` that would still be drawn as a missing-glyph box."""
    font = _font(px)
    return "".join(dict.fromkeys(c for run, _ in _runs(text, font) for c in run if not _has_glyph(font, c)))


def text_width(text: str, px: int) -> int:
    """Width [pixels] of `text` as draw_text draws it at `px`."""
    font, small = _font(px), _font(max(int(px * SUPER_SCALE), 6))
    return int(sum((small if sup else font).getlength(run) for run, sup in _runs(text, font)))


def draw_text(draw, xy, text: str, px: int, fill=(255, 255, 255, 255)) -> None:
    """Draw `text` at `xy` (top left) with Pillow's font at `px`, superscripts small and raised."""
    font, small = _font(px), _font(max(int(px * SUPER_SCALE), 6))
    x, y = xy
    for run, sup in _runs(text, font):
        f = small if sup else font
        draw.text((x, y - (SUPER_RAISE * px if sup else 0.0)), run, font=f, fill=fill)
        x += f.getlength(run)


def wrap_title(title: str, px: int, max_w: int) -> list[str]:
    """`title` on one line, or on two split at the space nearest its middle when wider than max_w."""
    if text_width(title, px) <= max_w or " " not in title:
        return [title]
    spaces = [k for k, c in enumerate(title) if c == " "]
    k = min(spaces, key=lambda k: abs(k - len(title) / 2))
    return [title[:k], title[k + 1:]]


def font_px(size: tuple[int, int]) -> int:
    return int(min(max(size[1] / 48, 10), 22))


def text_image(lines: list[str], px: int, box: bool = True) -> np.ndarray:
    """RGBA8 (h, w, 4) image of `lines` in white on an optional translucent dark box; row 0 = top."""
    from PIL import Image, ImageDraw

    pad, gap = max(px // 3, 3), max(px // 4, 2)
    widths = [text_width(line, px) for line in lines] or [0]
    w = max(widths) + 2 * pad
    h = len(lines) * (px + gap) - gap + 2 * pad
    img = Image.new("RGBA", (max(w, 1), max(h, 1)), (0, 0, 0, 150 if box else 0))
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw_text(draw, (pad, pad + k * (px + gap)), line, px)
    return np.asarray(img)


def legend_title(legend) -> str:
    return f"{legend.label} [{legend.unit}]" if legend.unit else legend.label


def legend_values(legend) -> list[float]:
    return [legend.vmin, 0.5 * (legend.vmin + legend.vmax), legend.vmax]


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


class Overlay:
    def __init__(self, ctx):
        self.ctx = ctx
        self.cache = ProgramCache(ctx)
        self._textures: dict[str, tuple] = {}  # slot -> (key, texture)
        self._vaos: dict[int, object] = {}

    def program(self, colormap: str | None, vertical: bool = False):
        """The overlay program; with a colormap, a colour bar of it (`vertical`: 0 at the top, for class legends)."""
        def make():
            src = Source()
            src.text = "#version 330 core\n"
            text = f"#define CMAP cmap_{colormap}\n" if colormap else ""
            src.add("<generated:overlay>", text + ("#define CMAP_VERTICAL 1\n" if vertical else ""))
            src.include("view/overlay.glsl")
            return compile_program(self.ctx, f"overlay (colormap {colormap})", vertex=vertex_source(), fragment=src)

        return self.cache.get(("overlay", colormap, vertical), make)

    def _texture(self, slot: str, key, make):
        old = self._textures.get(slot)
        if old is not None and old[0] == key:
            return old[1], old[2]
        image = make()
        h, w = image.shape[:2]
        if old is not None:
            old[1].release()
        tex = self.ctx.texture((w, h), 4, np.ascontiguousarray(image).tobytes())
        self._textures[slot] = (key, tex, (w, h))
        return tex, (w, h)

    def _draw_box(self, prog, tex, rect, bar=(0, 0, 0, 0)) -> None:
        tex.use(location=0)
        prog["t_text"].value = 0
        prog["u_rect"].value = tuple(float(v) for v in rect)
        if "u_bar" in list(prog):
            prog["u_bar"].value = tuple(float(v) for v in bar)
        # Only the box's pixels run the shader (gl_FragCoord stays in framebuffer pixels): a full-frame
        # triangle per text box would cost a whole frame's fill each on a software renderer.
        saved = self.ctx.viewport
        x, y = int(rect[0]) - 1, int(rect[1]) - 1
        self.ctx.viewport = (x, y, int(rect[2]) + 2, int(rect[3]) + 2)
        self._blend(prog)
        self.ctx.viewport = saved

    def _blend(self, prog) -> None:
        """One full-screen triangle of `prog`, alpha-blended over the bound framebuffer."""
        import moderngl

        vao = self._vaos.get(prog.glo)
        if vao is None:
            vao = self._vaos[prog.glo] = self.ctx.vertex_array(prog, [])
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        vao.render(vertices=3)
        self.ctx.disable(moderngl.BLEND)

    def draw(self, size: tuple[int, int], legend=None, lines=(), origin=(0, 0), caption: str = "") -> None:
        """Draw `lines` (top-left), the legend (bottom-left) and an era caption (bottom centre, larger)
        into the bound framebuffer."""
        w, h = size
        px = font_px(size)
        self.ctx.viewport = (*origin, w, h)
        ox, oy = origin
        if lines:
            tex, (tw, th) = self._texture("lines", (tuple(lines), px), lambda: text_image(list(lines), px))
            self._draw_box(self.program(None), tex, (ox + MARGIN, oy + h - MARGIN - th, tw, th))
        lw, lh = self._draw_legend(legend, size, px, origin) if legend is not None else (0, 0)
        if caption:
            cpx = int(px * 1.4)
            tex, (tw, th) = self._texture("caption", (caption, cpx), lambda: text_image([caption], cpx))
            # Bottom centre; beside the legend if it would overlap it, above the legend if it does not fit.
            x, y = max((w - tw) // 2, MARGIN), MARGIN
            if lw and x < MARGIN + lw + MARGIN:
                x = 2 * MARGIN + lw
                if x + tw > w - MARGIN:
                    x, y = max((w - tw) // 2, MARGIN), 2 * MARGIN + lh
            self._draw_box(self.program(None), tex, (ox + x, oy + y, tw, th))

    def fade(self, size: tuple[int, int], amount: float) -> None:
        """Darken the whole bound viewport towards black by `amount` (0..1)."""
        if amount <= 0.0:
            return

        def make():
            src = Source()
            src.text = "#version 330 core\n"
            src.include("view/fade.glsl")
            return compile_program(self.ctx, "fade", vertex=vertex_source(), fragment=src)

        prog = self.cache.get(("fade",), make)
        prog["u_fade"].value = float(min(amount, 1.0))
        self.ctx.viewport = (0, 0, *size)
        self._blend(prog)

    def _draw_legend(self, legend, size, px, origin) -> tuple[int, int]:
        """Draw the legend box at the bottom left; returns its (width, height) [pixels]."""
        if legend.classes:
            return self._draw_classes(legend, px, origin)
        w, h = size
        bar_w = int(min(max(0.3 * w, 120), 420))
        bar_h = max(px // 2 + 2, 6)
        title = legend_title(legend)
        values = legend_values(legend)
        titles = wrap_title(title, px, max(int(TITLE_MAX_FRACTION * w), bar_w))
        top = len(titles) * px + (len(titles) - 1) * max(px // 4, 2)   # height of the title lines

        def make():
            from PIL import Image, ImageDraw

            pad = max(px // 3, 3)
            box_w = max(bar_w + 2 * pad + text_width(_fmt(values[-1]), px) // 2 + pad,
                        max(text_width(t, px) for t in titles) + 2 * pad)
            box_h = top + px + bar_h + 4 * pad
            img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
            draw = ImageDraw.Draw(img)
            for k, t in enumerate(titles):
                draw_text(draw, (pad, pad + k * (px + max(px // 4, 2))), t, px)
            y = pad + top + pad + bar_h + pad
            for k, v in enumerate(values):
                x = pad + bar_w * k / (len(values) - 1)
                text = _fmt(v)
                tw = text_width(text, px)
                tx = min(max(x - tw / 2, 0), box_w - tw)
                draw_text(draw, (tx, y), text, px)
            return np.asarray(img)

        tex, (tw, th) = self._texture("legend", (legend, bar_w, bar_h, px), make)
        pad = max(px // 3, 3)
        ox, oy = origin
        x0, y0 = ox + MARGIN, oy + MARGIN
        bar = (x0 + pad, y0 + th - (pad + top + pad) - bar_h, bar_w, bar_h)
        self._draw_box(self.program(legend.colormap), tex, (x0, y0, tw, th), bar)
        return tw, th

    def _draw_classes(self, legend, px, origin) -> tuple[int, int]:
        """A class legend: the title, then one row per class (top to bottom) beside its colour swatch."""
        pad, gap = max(px // 3, 3), max(px // 4, 2)
        row = px + gap
        swatch = px

        def make():
            from PIL import Image, ImageDraw

            names = list(legend.classes)
            title = legend_title(legend)
            box_w = 2 * pad + max([text_width(title, px)] + [swatch + pad + text_width(n, px) for n in names])
            box_h = 2 * pad + row * (len(names) + 1) - gap
            img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
            draw = ImageDraw.Draw(img)
            draw_text(draw, (pad, pad), title, px)
            for k, name in enumerate(names):
                draw_text(draw, (pad + swatch + pad, pad + row * (k + 1)), name, px)
            return np.asarray(img)

        tex, (tw, th) = self._texture("legend", (legend, px), make)
        x0, y0 = origin[0] + MARGIN, origin[1] + MARGIN
        # The swatches: one vertical bar beside the names, class k in the k-th row from the top.
        n = len(legend.classes)
        bar = (x0 + pad, y0 + pad, swatch, row * n - gap)
        self._draw_box(self.program(legend.colormap, vertical=True), tex, (x0, y0, tw, th), bar)
        return tw, th

    def reload(self) -> None:
        """Drop the compiled programs (and the vertex arrays bound to them): rebuilt from disk on use."""
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        self.cache.clear()

    def release(self) -> None:
        for _, tex, _ in self._textures.values():
            tex.release()
        self._textures.clear()
        for vao in self._vaos.values():
            vao.release()
        self._vaos.clear()
        self.cache.clear()
