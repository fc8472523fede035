// shaders/view/ground.glsl — what the satellite layer has computed at the pixel before it calls its "ground"
// overlays, kept for them to reuse (issue 16: a software renderer does not share the identical texel
// fetches of two functions; the coast height and the hillshade are 25 fetches and ~15 ms of a 1024x512
// bake on llvmpipe). view/layers/satellite.glsl sets both before overlays_ground; view/vegetation.glsl
// reads them instead of recomputing the same values at the same point with the same light.
//   ground_land   the land's share of the pixel [0..1]: coast_land(coast_height(ll)) (view/coast.glsl)
//   ground_shade  the hillshade [0.2..1]: relief_shade(ll, light) (view/relief.glsl)
// Reads no fields.

float ground_land = 0.0;
float ground_shade = 1.0;
