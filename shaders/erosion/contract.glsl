// shaders/erosion/contract.glsl — step 5, repeated: tree contraction (rake and compress, Miller & Reif
// 1985) in gathers only, the scheme of GPU flow accumulation in Jain, Kerbl, Gain, Finley & Cordonnier,
// "FastFlow" (CGF 2024). Each cell keeps F(v) = acc(v) + F(pending1) + F(pending2) with at most two
// pending pointers. A run looks at each pending child u as u itself will be after this run (u rakes its
// finished children and jumps over its children that have one pending child left): if u then has no
// pending child, v adds u's sums and drops the pointer (rake); if one, w, v adds u's sums and points
// at w (compress); if two, v waits. All reads are of the previous run, and every cell's equation stays
// true, so F is exact once no pointer is left: a chain of N cells needs ceil(log3 N) runs, a Fibonacci
// tree about log_{phi^2} N (planet/stages/erosion.py: contract_runs).
// Sums: area [km²], discharge [m³/s], sediment [km³]; minimum: the (low_pass height, low_cell index) pair.
// Reads/Writes tree_sums (area, discharge, sediment, low_pass [m]), tree_links (pending1, pending2,
//              low_cell; first_child: unchanged).
#include "erosion/flow.glsl"

struct Acc { vec3 sum; float low_pass; int low_cell; };   // (area, discharge, sediment); lowest pass

Acc acc_of(ivec2 c, TreeLinks l) {
    TreeSums s = tree_sums_at(c);
    return Acc(vec3(s.area, s.discharge, s.sediment), s.low_pass, l.low_cell);
}

void add(inout Acc x, Acc y) {
    x.sum += y.sum;
    if (y.low_pass < x.low_pass || (y.low_pass == x.low_pass && y.low_cell < x.low_cell)) {
        x.low_pass = y.low_pass;
        x.low_cell = y.low_cell;
    }
}

// Cell u as it will be after this run: its sums (acc) and pending pointers (NONE-padded, first first).
// The pending pointers here and in pass_main are loops over the ones that are set (bits), not two
// ifs: llvmpipe (the CPU backend) runs both sides of every if in a SIMD group, but leaves a loop once
// no lane is in it (after its first iteration: common/math.glsl), so groups without pending pointers
// (most once the leaves are raked, and the open sea) skip the further fetches. The same operations in the same order (pending1 first).
void advanced(int u, out Acc acc, out ivec2 pending) {
    ivec2 uc = grid_cell(u);
    TreeLinks ul = tree_links_at(uc);
    acc = acc_of(uc, ul);
    pending = ivec2(NONE);
    for (int todo = int(ul.pending1 != NONE) + 2 * int(ul.pending2 != NONE); todo != 0; todo &= todo - 1) {
        int x = (todo & 1) != 0 ? ul.pending1 : ul.pending2;
        ivec2 xc = grid_cell(x);
        TreeLinks xl = tree_links_at(xc);
        int left = int(xl.pending1 != NONE) + int(xl.pending2 != NONE);
        int keep = left == 2 ? x : (xl.pending1 != NONE ? xl.pending1 : xl.pending2);   // NONE when x has finished
        if (left < 2) add(acc, acc_of(xc, xl));
        if (keep != NONE) { if (pending.x == NONE) pending.x = keep; else pending.y = keep; }
    }
}

void pass_main(ivec2 cell) {
    TreeLinks l = tree_links_at(cell);
    Acc acc = acc_of(cell, l);
    ivec2 ptr = ivec2(l.pending1, l.pending2);
    for (int todo = int(ptr.x != NONE) + 2 * int(ptr.y != NONE); todo != 0; todo &= todo - 1) {
        int i = (todo & 1) != 0 ? 0 : 1;
        Acc u;
        ivec2 pending;
        advanced(ptr[i], u, pending);
        if (pending.y == NONE) { add(acc, u); ptr[i] = pending.x; }   // rake (x NONE) or compress
    }
    o_tree_sums = TreeSums(acc.sum.x, acc.sum.y, acc.sum.z, acc.low_pass);
    o_tree_links = TreeLinks(ptr.x, ptr.y, acc.low_cell, l.first_child);
}

// Convergence stop (Pass.until): a cell is done when it has no pending pointer. When every cell is
// done a run writes each cell's own sums and links back unchanged (a fixed point), so the pipeline may
// stop there with the same bits as after all contract_runs(N) runs.
bool contract_done(ivec2 cell) {
    TreeLinks l = tree_links_at(cell);
    return l.pending1 == NONE && l.pending2 == NONE;
}
