// shaders/terrain/scalars.glsl — per-cell inputs of the terrain stage's planet-wide scalars
// (planet/reduce.py; folded by shaders/common/reduce.glsl). Each returns (value, weight): the
// scalar is the weight-weighted mean or sum of the value. `area` is the cell's area [km²],
// cell_area_km2(cell.y), which the reduction computes once a row.
// Reads terrain: bedrock [m above datum], sea_level [m above datum].
//   land_fraction: value 1 on land (bedrock above sea level), 0 at sea; weight = cell area [km²]:
//                  the mean is the fraction of the planet's surface that is land.
//   land_elevation: value = height above sea level [m]; weight = cell area [km²] on land, 0 at sea:
//                  the mean is the area-weighted mean elevation of the land.

vec2 reduce_input_land_fraction(ivec2 cell, float area) {
    Terrain t = terrain_at(cell);
    return vec2(t.bedrock > t.sea_level ? 1.0 : 0.0, area);
}

vec2 reduce_input_land_elevation(ivec2 cell, float area) {
    Terrain t = terrain_at(cell);
    bool land = t.bedrock > t.sea_level;
    return vec2(t.bedrock - t.sea_level, land ? area : 0.0);
}
