"""The window's live parameter panel (press p): Dear ImGui through imgui-bundle, drawn with moderngl.

Optional: `pip install 'planet[panel]'`. Without imgui-bundle the window runs as before and the
panel key says what to install. Every widget goes through the same paths as scripts: param edits
and brush strokes are Simulation.record() (set_params' checks, then kept as timeline events so a
reset, a saved scene or a checkpoint replays them); a bad value shows the same one-line error in
the panel and changes nothing.

imgui-bundle's own Python backends draw with PyOpenGL; here `Renderer` draws ImGui's vertex lists
with moderngl on the window's context instead (no second GL binding), and `Panel` feeds it glfw
input (the app forwards its callbacks). Positions of the widgets drawn last frame are kept in
`Panel.rects` (by id, window pixels), so tests can click them through X.
"""
from __future__ import annotations

import ctypes
import math

from .errors import PlanetError

INSTALL = "the panel needs imgui-bundle: pip install 'planet[panel]' (or pip install imgui-bundle)"
WIDTH = 360  # [pixels] panel width
RED, GREY = (1.0, 0.45, 0.4, 1.0), (0.7, 0.7, 0.7, 1.0)

VERTEX = """#version 330 core
uniform mat4 u_proj;
in vec2 in_pos;
in vec2 in_uv;
in vec4 in_color;
out vec2 v_uv;
out vec4 v_color;
void main() { v_uv = in_uv; v_color = in_color; gl_Position = u_proj * vec4(in_pos, 0.0, 1.0); }
"""
FRAGMENT = """#version 330 core
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
out vec4 frag;
void main() { frag = v_color * texture(u_texture, v_uv); }
"""


def available() -> bool:
    try:
        import imgui_bundle.imgui  # noqa: F401
    except ImportError:
        return False
    return True


class Renderer:
    """ImGui draw data -> moderngl (alpha-blended triangles, scissored), textures by their GL name."""

    def __init__(self, ctx):
        from imgui_bundle import imgui

        self.imgui, self.ctx = imgui, ctx
        self.prog = ctx.program(vertex_shader=VERTEX, fragment_shader=FRAGMENT)
        self.vbo = ctx.buffer(reserve=1 << 16, dynamic=True)
        self.ibo = ctx.buffer(reserve=1 << 16, dynamic=True)
        self.vao = ctx.vertex_array(self.prog, [(self.vbo, "2f 2f 4f1", "in_pos", "in_uv", "in_color")],
                                    index_buffer=self.ibo, index_element_size=imgui.INDEX_SIZE)
        self.textures: dict[int, object] = {}
        imgui.get_io().backend_flags |= imgui.BackendFlags_.renderer_has_textures
        size = ctx.info.get("GL_MAX_TEXTURE_SIZE", 4096)
        imgui.get_platform_io().renderer_texture_max_width = size
        imgui.get_platform_io().renderer_texture_max_height = size

    def _texture(self, tex) -> None:
        status = self.imgui.ImTextureStatus
        if tex.status == status.want_destroy:
            t = self.textures.pop(int(tex.get_tex_id()), None)
            if t is not None:
                t.release()
            tex.set_tex_id(0)
            tex.status = status.destroyed
        elif tex.status in (status.want_create, status.want_updates):
            t = self.textures.get(int(tex.get_tex_id())) if tex.status == status.want_updates else None
            if t is None:
                t = self.ctx.texture((tex.width, tex.height), 4)
                t.repeat_x = t.repeat_y = False
                self.textures[t.glo] = t
                tex.set_tex_id(t.glo)
            t.write(tex.get_pixels_array().tobytes())  # the whole atlas: small, and updates are rare
            tex.status = status.ok

    def render(self, draw_data, fb_size) -> None:
        import moderngl

        imgui = self.imgui
        for tex in imgui.get_platform_io().textures:
            if tex.status != imgui.ImTextureStatus.ok:
                self._texture(tex)
        (x0, y0), (dw, dh) = draw_data.display_pos, draw_data.display_size
        if dw <= 0 or dh <= 0:
            return
        sx, sy = fb_size[0] / dw, fb_size[1] / dh
        proj = (2.0 / dw, 0, 0, 0, 0, -2.0 / dh, 0, 0, 0, 0, -1, 0,
                -(2 * x0 + dw) / dw, (2 * y0 + dh) / dh, 0, 1)
        self.prog["u_proj"].write(b"".join(ctypes.c_float(v) for v in proj))
        self.prog["u_texture"].value = 0
        ctx = self.ctx
        ctx.viewport = (0, 0, *fb_size)
        ctx.enable(moderngl.BLEND)
        ctx.blend_func = moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA
        try:
            for cl in draw_data.cmd_lists:
                self._upload(self.vbo, cl.vtx_buffer.data_address(), cl.vtx_buffer.size() * imgui.VERTEX_SIZE)
                self._upload(self.ibo, cl.idx_buffer.data_address(), cl.idx_buffer.size() * imgui.INDEX_SIZE)
                for cmd in cl.cmd_buffer:
                    t = self.textures.get(int(cmd.tex_ref.get_tex_id()))
                    if t is not None:
                        t.use(0)
                    cx, cy, cz, cw = cmd.clip_rect
                    x, y = int((cx - x0) * sx), int(fb_size[1] - (cw - y0) * sy)
                    ctx.scissor = (max(x, 0), max(y, 0), max(int((cz - cx) * sx), 0), max(int((cw - cy) * sy), 0))
                    self.vao.render(moderngl.TRIANGLES, vertices=cmd.elem_count, first=cmd.idx_offset)
        finally:
            ctx.scissor = None
            ctx.disable(moderngl.BLEND)

    @staticmethod
    def _upload(buf, address: int, nbytes: int) -> None:
        if nbytes > buf.size:
            buf.orphan(max(nbytes, 2 * buf.size))
        buf.write(ctypes.string_at(address, nbytes))

    def release(self) -> None:
        for t in self.textures.values():
            t.release()
        self.textures.clear()
        for obj in (self.vao, self.vbo, self.ibo, self.prog):
            obj.release()


def _key_map(glfw, imgui) -> dict:
    k = imgui.Key
    out = {glfw.KEY_TAB: k.tab, glfw.KEY_LEFT: k.left_arrow, glfw.KEY_RIGHT: k.right_arrow, glfw.KEY_UP: k.up_arrow,
           glfw.KEY_DOWN: k.down_arrow, glfw.KEY_HOME: k.home, glfw.KEY_END: k.end, glfw.KEY_DELETE: k.delete,
           glfw.KEY_BACKSPACE: k.backspace, glfw.KEY_ENTER: k.enter, glfw.KEY_KP_ENTER: k.keypad_enter,
           glfw.KEY_ESCAPE: k.escape, glfw.KEY_LEFT_CONTROL: k.left_ctrl, glfw.KEY_RIGHT_CONTROL: k.right_ctrl,
           glfw.KEY_LEFT_SHIFT: k.left_shift, glfw.KEY_RIGHT_SHIFT: k.right_shift}
    for c in "ACVXYZ":
        out[getattr(glfw, f"KEY_{c}")] = getattr(k, c.lower())
    return out


class Panel:
    """The panel of one App: input forwarding, the widgets, and drawing over the frame."""

    def __init__(self, app):
        from imgui_bundle import imgui

        self.imgui, self.app = imgui, app
        self.context = imgui.create_context()
        io = imgui.get_io()
        io.set_ini_filename(None)  # no imgui.ini written into the user's folder
        self.renderer = Renderer(app.ctx)
        self.keys = _key_map(app.glfw, imgui)
        self.open = False
        self.error = ""           # the last refused edit, shown in red until the next good one
        self.rects: dict[str, tuple[float, float, float, float]] = {}  # widget id -> (x, y, w, h), window px
        self.scene_path = str(app.screenshots / "scene.toml")
        self.stages = {n: n in app.sim.scene.stages for n in app.sim._registry}
        self.scrub = None         # years the time slider is being dragged to
        self.expand: set[str] = set()  # headers to show open the next frame (e.g. {"terrain"})
        self.window_rect = (0.0, 0.0, 0.0, 0.0)  # the panel window as drawn last frame, window pixels
        self.busy = False         # a popup is open or a widget is active (last frame)

    # -- input (the app forwards every glfw event; it skips its own handling when `captures`) ---------
    def key(self, key, action) -> None:
        if key in self.keys:
            down = action != self.app.glfw.RELEASE
            io = self.imgui.get_io()
            io.add_key_event(self.keys[key], down)
            k = self.imgui.Key
            if self.keys[key] in (k.left_ctrl, k.right_ctrl):
                io.add_key_event(k.mod_ctrl, down)
            if self.keys[key] in (k.left_shift, k.right_shift):
                io.add_key_event(k.mod_shift, down)

    def char(self, c: int) -> None:
        if 0 < c < 0x10000:
            self.imgui.get_io().add_input_character(c)

    def cursor(self, x, y) -> None:
        self.imgui.get_io().add_mouse_pos_event(float(x), float(y))

    def button(self, button, action) -> None:
        if 0 <= button < 5:
            self.imgui.get_io().add_mouse_button_event(button, action == self.app.glfw.PRESS)

    def scroll(self, dx, dy) -> None:
        self.imgui.get_io().add_mouse_wheel_event(float(dx), float(dy))

    @property
    def typing(self) -> bool:
        """A text field has the keyboard: keys are characters, not window shortcuts."""
        return self.open and self.imgui.get_io().want_text_input

    def mouse(self, x: float, y: float) -> bool:
        """Whether a press at window point (x, y) is the panel's: inside its window as drawn last frame,
        or anywhere while a popup (a combo's list) is open or a widget is being dragged. Decided from
        the point itself, not from ImGui's last hover state, which lags a fast move-and-click."""
        if not self.open:
            return False
        x0, y0, w, h = self.window_rect
        return (x0 <= x <= x0 + w and y0 <= y <= y0 + h) or self.busy

    # -- one frame ------------------------------------------------------------------------------
    def draw(self, window_size, fb_size, seconds: float) -> None:
        imgui = self.imgui
        imgui.set_current_context(self.context)
        io = imgui.get_io()
        io.display_size = imgui.ImVec2(*window_size)
        io.delta_time = max(seconds, 1e-4)
        imgui.new_frame()
        self.rects.clear()
        if self.open:
            imgui.set_next_window_pos(imgui.ImVec2(8, 8), imgui.Cond_.first_use_ever)
            imgui.set_next_window_size(imgui.ImVec2(WIDTH, max(window_size[1] - 16, 100)), imgui.Cond_.first_use_ever)
            imgui.set_next_window_bg_alpha(0.85)
            imgui.begin("planet")
            (x, y), (w, h) = imgui.get_window_pos(), imgui.get_window_size()
            self.window_rect = (x, y, w, h)
            self.widgets()
            any_popup = imgui.PopupFlags_.any_popup_id | imgui.PopupFlags_.any_popup_level
            self.busy = imgui.is_popup_open("", any_popup) or imgui.is_any_item_active()
            imgui.end()
        imgui.render()
        if self.open:
            self.renderer.render(imgui.get_draw_data(), fb_size)

    def _rect(self, wid: str) -> None:
        imgui = self.imgui
        (x, y), (w, h) = imgui.get_item_rect_min(), imgui.get_item_rect_size()
        self.rects[wid] = (x, y, w, h)

    def _tip(self, text: str) -> None:
        self.imgui.set_item_tooltip(text)

    def widgets(self) -> None:
        imgui = self.imgui
        if self.error:
            imgui.push_text_wrap_pos(WIDTH - 16)
            imgui.text_colored(imgui.ImVec4(*RED), self.error)
            imgui.pop_text_wrap_pos()
            self._rect("error")
        self.readouts()
        self.time_controls()
        self.views()
        self.brush()
        self.scene()
        self.params()

    def readouts(self) -> None:
        imgui, app = self.imgui, self.app
        for line in app.readouts():
            imgui.text(line)

    def time_controls(self) -> None:
        imgui, app, sim = self.imgui, self.app, self.app.sim
        if imgui.button("run" if app.paused else "pause"):
            app.paused = not app.paused
        imgui.same_line()
        if imgui.button("one tick"):
            app.paused, app.single = True, app.single + 1
        imgui.same_line()
        imgui.set_next_item_width(110)
        speeds = [f"{s} ticks/s" for s in app.SPEEDS]
        changed, k = imgui.combo("##speed", app.SPEEDS.index(app.speed), speeds)
        if changed:
            app.speed = app.SPEEDS[k]
        end = max([sim.scene.end or 0.0, *(e.at for e in sim.scene.timeline), sim.years, 1.0])
        value = self.scrub if self.scrub is not None else sim.years
        changed, value = imgui.slider_float("time [years]", value, 0.0, end, "%.4g")
        self._rect("time")
        self._tip("drag to jump the timeline: later runs the ticks fast, earlier resets (edits replay) and runs")
        if changed:
            self.scrub = value
        if imgui.is_item_deactivated_after_edit() and self.scrub is not None:
            app.goto(self.scrub)
            self.scrub = None
        eras = [e for e in sim.scene.timeline if e.caption]
        if eras:
            names = [f"{e.caption[:40]}" for e in eras]
            now = max([k for k, e in enumerate(eras) if e.at <= sim.years], default=-1)
            changed, k = imgui.combo("era", now, names)
            self._tip("jump to an era of the story (fast-forward, or reset and run when it is earlier)")
            if changed:
                app.goto(eras[k].at)
        imgui.set_next_item_width(120)
        # A text field: seeds go up to 2^32 - 1, beyond ImGui's int widgets.
        changed, text = imgui.input_text("seed", str(sim.seed), imgui.InputTextFlags_.enter_returns_true)
        self._rect("seed")
        self._tip("Enter: a new planet with this seed (0 .. 4294967295)")
        if changed:
            app.act(lambda: app.reset(seed=parse_seed(text)), clear=True)
        imgui.same_line()
        if imgui.button("reset"):
            app.act(app.reset, clear=True)
        self._tip("tick 0 with the scene as loaded (live edits forgotten)")
        if sim.edits:
            imgui.same_line()
            if imgui.button("replay edits"):
                app.act(lambda: app.reset(keep_edits=True), clear=True)
            self._tip(f"tick 0, then the {len(sim.edits)} live edit(s) and stroke(s) replay at their times")

    def views(self) -> None:
        imgui, app = self.imgui, self.app
        names = list(app.sim.layers)
        changed, k = imgui.combo("layer", names.index(app.layer), names)
        self._tip(app.sim.layers[app.layer].doc)
        if changed:
            app.user_view, app.layer = True, names[k]
        for view in ("map", "globe"):
            if imgui.radio_button(view, (app.morph.target >= 1.0) == (view == "globe")):
                app.user_view = True
                app.morph.go(view)
            imgui.same_line()
        imgui.new_line()

    def brush(self) -> None:
        from .brush import KEYS, TOOLS

        imgui, app = self.imgui, self.app
        shown = imgui.collapsing_header("brush (left mouse on the map or globe)", imgui.TreeNodeFlags_.default_open)
        self._rect("header.brush")
        if not shown:
            return
        for k, tool in enumerate((None, *TOOLS)):
            if imgui.radio_button(tool or "off", app.brush_tool == tool):
                app.brush_tool = tool
            self._rect(f"brush.{tool or 'off'}")
            if k < len(TOOLS):
                imgui.same_line()
        for name in ("radius", "strength"):
            p = KEYS[name]
            changed, v = imgui.slider_float(f"{name} [{p.unit}]", getattr(app, f"brush_{name}"), 50.0 if name == "radius"
                                            else 10.0, 5000.0 if name == "radius" else 8000.0, "%.0f",
                                            imgui.SliderFlags_.logarithmic)
            self._tip(p.doc)
            if changed:
                setattr(app, f"brush_{name}", v)

    def scene(self) -> None:
        imgui, app = self.imgui, self.app
        shown = imgui.collapsing_header("scene")
        self._rect("header.scene")
        if not shown:
            return
        changed, self.scene_path = imgui.input_text("##scene_path", self.scene_path)
        self._rect("scene_path")
        imgui.same_line()
        if imgui.button("save scene as"):
            app.act(lambda: app.save_scene(self.scene_path), clear=True)
        self._rect("save_scene")
        self._tip("a TOML scene that replays this run: seed, params as loaded, the timeline with your edits")
        imgui.text("stages (a change restarts at tick 0):")
        for k, name in enumerate(self.stages):
            _, self.stages[name] = imgui.checkbox(name, self.stages[name])
            self._tip(app.sim._registry[name].doc.strip().splitlines()[0])
            if k % 3 != 2:
                imgui.same_line()
        imgui.new_line()
        wanted = [n for n, on in self.stages.items() if on]
        if imgui.button("restart with these stages") and wanted != list(app.sim.scene.stages):
            app.act(lambda: app.restart(stages=wanted), clear=True)

    def params(self) -> None:
        imgui, sim = self.imgui, self.app.sim
        for st in sim.stages:
            if st.name in self.expand:
                imgui.set_next_item_open(True)
                self.expand.discard(st.name)
            shown = imgui.collapsing_header(f"{st.name} params")
            self._rect(f"header.{st.name}")
            if not shown:
                continue
            for p in st.params:
                self.param(st.name, p, sim.params[st.name][p.name])

    def param(self, stage: str, p, value) -> None:
        imgui = self.imgui
        wid = f"{stage}.{p.name}"
        label = f"{p.name}{f' [{p.unit}]' if p.unit and p.unit != '1' else ''}##{wid}"
        enter = imgui.InputTextFlags_.enter_returns_true
        imgui.set_next_item_width(150)
        if p.kind is bool:
            changed, new = imgui.checkbox(label, value)
        elif p.kind is int:
            changed, new = imgui.input_int(label, value, 1, 10, enter)
        elif p.kind is float:
            changed, new = imgui.input_double(label, value, 0.0, 0.0, "%.6g", enter)
        else:
            changed, new = imgui.input_text(label, value, enter)
        self._rect(wid)
        lo = "-inf" if p.lo is None else f"{p.lo:g}"
        hi = "inf" if p.hi is None else f"{p.hi:g}"
        rng = f"\nrange [{lo}, {hi}] {p.unit}" if p.kind in (int, float) else ""
        self._tip(f"{p.doc}{rng}\n(Enter applies; the change is kept as a timeline event)")
        if changed and new != value:
            self.app.edit(stage, p.name, new)


def parse_seed(text: str) -> int:
    """The seed typed into the panel; PlanetError for anything but an integer (its range is the scene's check)."""
    try:
        return int(text.strip())
    except ValueError:
        raise PlanetError(f"seed: expected an integer, got {text!r:.40}") from None


def distance_km(a, b, radius: float) -> float:
    """Great-circle distance between two (lon, lat) points [degrees] on a sphere of `radius` km."""
    (lo1, la1), (lo2, la2) = (map(math.radians, a)), (map(math.radians, b))
    c = math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo1 - lo2)
    return radius * math.acos(max(-1.0, min(1.0, c)))


def error_text(exc: BaseException) -> str:
    """One line for the panel and the message area (PlanetError's own text, OSError with its file)."""
    if isinstance(exc, PlanetError):
        return str(exc)
    name = getattr(exc, "filename", None)
    return f"{name + ': ' if name else ''}{getattr(exc, 'strerror', None) or exc}"
