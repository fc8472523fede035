// shaders/view/people_base.glsl — the base map under the people stage's layers: land and sea in muted
// tones (so the layer's colours read), and the coastline as a dark line about a pixel wide, both where
// the views' one coast says (view/coast.glsl: the smooth coast height, anti-aliased over a pixel).
// Reads terrain: bedrock [m above datum], sea_level [m above datum] (the layer reads terrain).
#include "view/coast.glsl"

// The sea's share of the pixel [0..1].
float people_sea(vec2 ll) { return 1.0 - coast_land(coast_height(ll)); }

vec3 people_coastline(vec3 color, vec2 ll) { return with_coast_line(color, coast_height(ll)); }
