// shaders/tectonics/crust.glsl — the kind of crust that thermal erosion sees (tectonics/talus.glsl);
// not a pass but the helpers of tectonics.kinds and tectonics.talus. Reads no fields itself (crust_kind
// fetches the terrain of the pass that calls it); writes none.
// Continental crust is shallower than shelf_depth below sea level, oceanic crust deeper, unless a cell
// is enclosed by the other kind: all 4 neighbours, or, near the poles (polar width m = floor(dy / dx)
// >= 2), all 4 cells one resolution dy away (north and south, m columns east and west) are of the
// other kind; then it counts as their kind (talus.glsl's header: holes and spikes level out).
#include "tectonics/plate.glsl"

const int MAX_POLAR_CELLS = 16;   // widest east-west box filter near the poles [cells]

// The polar width m = floor(dy / dx) of row j, at most MAX_POLAR_CELLS [cells].
int polar_width(int j) { return min(int(floor(cell_dy_km() / cell_dx_km(j))), MAX_POLAR_CELLS); }

// True when all 4 cells of bedrock zn are of the other kind than crust of bedrock z (shelf level `shelf`).
bool all_other(float z, vec4 zn, float shelf) {
    return !any(equal(greaterThan(zn, vec4(shelf)), bvec4(z > shelf)));
}

// The kind of crust of cell c (in a row of polar width m) of bedrock z [m above datum] whose 4
// neighbours have bedrock zn (east, west, and north and south in zn.z, zn.w in either order: only the
// sets count): true continental (above the shelf level `shelf` [m above datum]), false oceanic, unless
// it is enclosed by the other kind.
bool crust_kind(ivec2 c, int m, float z, vec4 zn, float shelf) {
    bool own = z > shelf;
    if (all_other(z, zn, shelf)) return !own;
    if (m < 2) return own;
    vec4 far = vec4(terrain_at(grid_wrap_near(c + ivec2(m, 0))).bedrock, terrain_at(grid_wrap_near(c - ivec2(m, 0))).bedrock,
                    zn.z, zn.w);
    return all_other(z, far, shelf) ? !own : own;
}
