// shaders/view/streaks.glsl — animated wind streaks: line integral convolution (Cabral & Leedom,
// "Imaging vector fields using line integral convolution", SIGGRAPH 1993) of sparse spot noise along
// the wind's streamlines, with a periodic sawtooth kernel whose phase advances with the tick, which
// makes the streaks move downwind (their §5 animation). Stateless and deterministic: the picture is a
// function of the wind field and u_tick only.
//   streak(p) = mean over samples q_k at arc distance s_k (-L..L, downwind > 0) along the streamline
//               through p of  spot(q_k) * saw(s_k / P + phase(q_k) + u_tick / TICKS_PER_PERIOD)
// Streamlines are traced along great circles with the wind as 3-D vectors (the climate's flow field),
// so they run through the poles; spots live on a 3-D lattice (no seams). Brightness grows with speed.
// Reads flow (the layer must read it): x, y, z = the surface wind as a 3-D vector [m/s].
#include "common/grid.glsl"
#include "common/hash.glsl"

const int STREAK_SAMPLES = 8;             // per direction
const float STREAK_STEP = 0.010;          // [radians of arc] between samples (~0.6°)
const float STREAK_PERIOD = 0.15;         // [radians] wavelength of the moving dashes
const float STREAK_LATTICE = 90.0;        // spot cells per unit length (~0.6° cells)
const float STREAK_DENSITY = 0.05;        // fraction of lattice cells that hold a spot
const uint TICKS_PER_PERIOD = 24u;        // ticks for a dash to move one wavelength

float streak_spot(vec3 q, out float phase) {
    vec3 h = hash3(ivec3(floor(q * STREAK_LATTICE)), 0x57EA4Bu);
    phase = h.y;
    return h.x < STREAK_DENSITY ? 1.0 : 0.0;
}

// Streak intensity in [0, 1] at longitude/latitude ll, for the 3-D wind of the flow field.
float wind_streaks(vec2 ll) {
    float sum = 0.0, time = float(u_tick % (4096u * TICKS_PER_PERIOD)) / float(TICKS_PER_PERIOD);
    for (int dir = -1; dir <= 1; dir += 2) {
        vec3 q = lonlat_pos(ll);
        for (int k = 0; k < STREAK_SAMPLES; ++k) {
            float s = float(dir * k) * STREAK_STEP, phase;
            float spot = streak_spot(q, phase);
            // A window along the line (Hann), and a sawtooth whose bright end faces downwind.
            float window = 0.5 + 0.5 * cos(PI * float(k) / float(STREAK_SAMPLES));
            if (dir == -1 || k > 0) sum += spot * window * (1.0 - fract(s / STREAK_PERIOD + phase + time));
            Flow f = flow_sample(pos_lonlat(q));
            vec3 v = vec3(f.x, f.y, f.z);
            v -= dot(v, q) * q;
            float sp = length(v);
            if (sp < 1e-4) break;
            q = sphere_step(q, float(dir) * v / sp, STREAK_STEP);
        }
    }
    return clamp(1.2 * sum, 0.0, 1.0);
}
