// shaders/erosion/contract.glsl — step 5, repeated: tree contraction (rake and compress, Miller & Reif
// 1985) in gathers only, the scheme of GPU flow accumulation in Jain, Kerbl, Gain, Finley & Cordonnier,
// "FastFlow" (CGF 2024). Each cell keeps F(v) = acc(v) + F(t1) + F(t2) with at most two pending
// pointers. A run looks at each pending child u as u itself will be after this run (u rakes its
// finished children and jumps over its children that have one pending child left): if u then has no
// pending child, v adds u's sums and drops the pointer (rake); if one, w, v adds u's sums and points
// at w (compress); if two, v waits. All reads are of the previous run, and every cell's equation stays
// true, so F is exact once no pointer is left: a chain of N cells needs ceil(log3 N) runs, a Fibonacci
// tree about log_{phi^2} N (planet/stages/erosion.py: contract_runs).
// Sums: area [km²], discharge [m³/s], sediment [km³]; minimum: the (pass height, cell index) pair.
// Reads/Writes tree_a (r area, g discharge, b t1, a t2), tree_b (r sediment, g pass [m], b its cell,
//              a first child: unchanged).
#include "erosion/flow.glsl"

uniform sampler2D t_tree_a;
uniform sampler2D t_tree_b;

struct Acc { vec3 sum; vec2 low; };   // (area, discharge, sediment); lowest (pass height, cell index)

Acc acc_at(vec4 a, vec4 b) { return Acc(vec3(a.rg, b.r), b.gb); }

void add(inout Acc x, Acc y) {
    x.sum += y.sum;
    if (y.low.x < x.low.x || (y.low.x == x.low.x && y.low.y < x.low.y)) x.low = y.low;
}

// Cell u as it will be after this run: its sums (acc) and pending pointers (NONE-padded, first first).
void advanced(float u, out Acc acc, out vec2 pending) {
    vec4 ua = texelFetch(t_tree_a, ptr_cell(u), 0);
    acc = acc_at(ua, texelFetch(t_tree_b, ptr_cell(u), 0));
    pending = vec2(NONE);
    for (int i = 0; i < 2; ++i) {
        float x = i == 0 ? ua.b : ua.a;
        if (x == NONE) continue;
        vec4 xa = texelFetch(t_tree_a, ptr_cell(x), 0);
        int left = int(xa.b != NONE) + int(xa.a != NONE);
        float keep = left == 2 ? x : (xa.b != NONE ? xa.b : xa.a);   // NONE when x has finished
        if (left < 2) add(acc, acc_at(xa, texelFetch(t_tree_b, ptr_cell(x), 0)));
        if (keep != NONE) { if (pending.x == NONE) pending.x = keep; else pending.y = keep; }
    }
}

void pass_main(ivec2 cell) {
    vec4 a = texelFetch(t_tree_a, cell, 0), b = texelFetch(t_tree_b, cell, 0);
    Acc acc = acc_at(a, b);
    vec2 ptr = a.ba;
    for (int i = 0; i < 2; ++i) {
        if (ptr[i] == NONE) continue;
        Acc u; vec2 pending;
        advanced(ptr[i], u, pending);
        if (pending.y == NONE) { add(acc, u); ptr[i] = pending.x; }   // rake (x NONE) or compress
    }
    o_tree_a = vec4(acc.sum.xy, ptr);
    o_tree_b = vec4(acc.sum.z, acc.low, b.a);
}
