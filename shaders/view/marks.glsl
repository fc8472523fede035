// shaders/view/marks.glsl — the size of one picture pixel, for layers that draw marks meant to be a
// number of pixels across (view/arrows.glsl, view/isobar_labels.glsl). A layer is drawn into a bake
// (planet.view) that the frame then samples, so a mark resolves only as finely as the coarser of
//   the bake's texel:   fwidth(lat) [radians] (the bake is an equirectangular map), and
//   the frame's pixel:  radians(1) / u_px_per_deg, u_px_per_deg = the frame's pixels per degree of arc
//                       (planet.view.frame_px_per_deg: a map's width / 360, the globe's apparent
//                       radius x pi / 180, rounded to steps of 2^(1/4) so zooming re-bakes in steps).
//   mark_px(ll) [radians of arc]: the larger of the two (u_px_per_deg unset, 0: the bake's texel).
// Marks sized in mark_px keep their size in pixels on a 128 px thumbnail and a 1024 px map alike.

uniform float u_px_per_deg;   // [pixels / degree] of the frame being drawn

float mark_px(vec2 ll) {
    float texel = max(fwidth(ll.y), 1.0e-6);                        // the bake's texel [radians]
    float pixel = u_px_per_deg > 0.0 ? radians(1.0) / u_px_per_deg : 0.0;   // the frame's pixel [radians]
    return max(texel, pixel);
}
