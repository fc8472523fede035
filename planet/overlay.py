"""Text and legends drawn into the frame — the same in the window and in videos.

A legend is a colour bar filled on the GPU with the layer's colormap (shaders/common/colormap.glsl,
so the bar shows exactly the colours of the layer) plus its label, unit and values, which Pillow
draws into a small RGBA image. Status and help lines are another small text image. Each text image
is rebuilt only when its text or the frame size changes.
"""
from __future__ import annotations

import numpy as np

from .passes import vertex_source
from .shaderlib import ProgramCache, Source, compile_program

MARGIN = 12


def _font(px: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=px)


def font_px(size: tuple[int, int]) -> int:
    return int(min(max(size[1] / 48, 10), 22))


def text_image(lines: list[str], px: int, box: bool = True) -> np.ndarray:
    """RGBA8 (h, w, 4) image of `lines` in white on an optional translucent dark box; row 0 = top."""
    from PIL import Image, ImageDraw

    font = _font(px)
    pad, gap = max(px // 3, 3), max(px // 4, 2)
    widths = [int(font.getlength(line)) for line in lines] or [0]
    w = max(widths) + 2 * pad
    h = len(lines) * (px + gap) - gap + 2 * pad
    img = Image.new("RGBA", (max(w, 1), max(h, 1)), (0, 0, 0, 150 if box else 0))
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((pad, pad + k * (px + gap)), line, font=font, fill=(255, 255, 255, 255))
    return np.asarray(img)


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
        self._blend(prog)

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
        title = f"{legend.label} [{legend.unit}]" if legend.unit else legend.label
        values = legend_values(legend)

        def make():
            from PIL import Image, ImageDraw

            font = _font(px)
            pad = max(px // 3, 3)
            box_w = bar_w + 2 * pad + int(font.getlength(_fmt(values[-1]))) // 2 + pad
            box_h = 2 * px + bar_h + 4 * pad
            img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
            draw = ImageDraw.Draw(img)
            draw.text((pad, pad), title, font=font, fill=(255, 255, 255, 255))
            y = pad + px + pad + bar_h + pad
            for k, v in enumerate(values):
                x = pad + bar_w * k / (len(values) - 1)
                text = _fmt(v)
                tx = min(max(x - font.getlength(text) / 2, 0), box_w - font.getlength(text))
                draw.text((tx, y), text, font=font, fill=(255, 255, 255, 255))
            return np.asarray(img)

        tex, (tw, th) = self._texture("legend", (legend, bar_w, bar_h, px), make)
        pad = max(px // 3, 3)
        ox, oy = origin
        x0, y0 = ox + MARGIN, oy + MARGIN
        bar = (x0 + pad, y0 + th - (pad + px + pad) - bar_h, bar_w, bar_h)
        self._draw_box(self.program(legend.colormap), tex, (x0, y0, tw, th), bar)
        return tw, th

    def _draw_classes(self, legend, px, origin) -> tuple[int, int]:
        """A class legend: the title, then one row per class (top to bottom) beside its colour swatch."""
        pad, gap = max(px // 3, 3), max(px // 4, 2)
        row = px + gap
        swatch = px

        def make():
            from PIL import Image, ImageDraw

            font = _font(px)
            names = list(legend.classes)
            title = f"{legend.label} [{legend.unit}]" if legend.unit else legend.label
            box_w = 2 * pad + max([int(font.getlength(title))] + [swatch + pad + int(font.getlength(n)) for n in names])
            box_h = 2 * pad + row * (len(names) + 1) - gap
            img = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
            draw = ImageDraw.Draw(img)
            draw.text((pad, pad), title, font=font, fill=(255, 255, 255, 255))
            for k, name in enumerate(names):
                draw.text((pad + swatch + pad, pad + row * (k + 1)), name, font=font, fill=(255, 255, 255, 255))
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
