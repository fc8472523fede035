// shaders/tests/until_probe.glsl — test probe (not part of any stage): a convergence pass (Pass.until)
// that counts a.x up by 1 a run until it reaches a.y, so a cell is done after a.y - a.x runs.
// Reads/Writes a {x: the count, y: where it stops, z, w: carried unchanged} (dimensionless).

void pass_main(ivec2 cell) {
    A s = a_at(cell);
    s.x = min(s.x + 1.0, s.y);   // one step; a done cell (x = y) is written back unchanged
    o_a = s;
}

bool done(ivec2 cell) {
    A s = a_at(cell);
    return s.x >= s.y;
}
