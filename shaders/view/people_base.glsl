// shaders/view/people_base.glsl — the base map under the people stage's layers: land and sea in muted
// tones (so the layer's colours read), and the coastline as a dark line about a pixel wide where the
// height above sea level e = bedrock - sea_level crosses 0 (|e| / fwidth(e): distance in pixels).
// Reads terrain: bedrock [m above datum], sea_level [m above datum] (the layer reads terrain).
#include "common/grid.glsl"

float people_sea(vec2 ll) { Terrain t = terrain_sample(ll); return t.bedrock <= t.sea_level ? 1.0 : 0.0; }

vec3 people_coastline(vec3 color, vec2 ll) {
    Terrain t = terrain_sample(ll);
    float e = t.bedrock - t.sea_level;
    float line = 1.0 - smoothstep(0.25, 1.0, abs(e) / max(fwidth(e), 1e-6));
    return mix(color, vec3(0.05, 0.05, 0.06), 0.6 * line);
}
