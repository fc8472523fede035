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

// One loop over the cells a run reads: v itself (the first iteration), each pending child u of v
// (pending1 first) and, after it, u's own pending children x (pending1 first), one cell's links and sums
// an iteration. u is taken as it will be after this run: its sums (u: u's own, plus each x that has
// finished or has one pending child left) and its pending pointers (pending, NONE-padded, first first);
// then v rakes it (none left: the pointer dropped), compresses over it (one, w: points at w) or waits
// (two). One flat loop, not one per level: llvmpipe (the CPU backend) runs both sides of every if in a
// SIMD group but leaves a loop once no lane is in it, after its first iteration even where no lane
// enters (common/math.glsl); so a group fetches as many cells as its busiest lane reads (nested loops:
// the most of any lane at each level, and a first inner iteration under every u), and a done cell only
// its own (the first iteration, which every cell needs: a do-while). Issue 16: runs ~17% cheaper at
// 1024x512. The kinds of cell share the one fetch and differ in selects only; sums are added x into u,
// then u into v, in order.
void pass_main(ivec2 cell) {
    TreeLinks l = TreeLinks(NONE, NONE, BIG_INDEX, NONE);   // v's links and sums: the first iteration's
    Acc acc = Acc(vec3(0.0), BIG, BIG_INDEX);
    ivec2 ptr = ivec2(NONE);
    int todo = 0;   // v's pending pointers still to advance (bits)
    int sub = -2;   // -2: v itself (first); -1: u = ptr[i] next; else u's pending pointers left to fetch (bits)
    TreeLinks ul = l;
    Acc u = acc;
    ivec2 pending = ivec2(NONE);
    do {
        int i = (todo & 1) != 0 ? 0 : 1;
        int at = sub < 0 ? ptr[i] : ((sub & 1) != 0 ? ul.pending1 : ul.pending2);
        ivec2 c = sub == -2 ? cell : grid_cell(at);
        TreeLinks cl = tree_links_at(c);
        Acc ca = acc_of(c, cl);
        if (sub == -2) {   // v itself
            l = cl;
            acc = ca;
            ptr = ivec2(cl.pending1, cl.pending2);
            todo = int(ptr.x != NONE) + 2 * int(ptr.y != NONE);
            sub = -1;
        } else if (sub < 0) {   // u itself
            ul = cl;
            u = ca;
            pending = ivec2(NONE);
            sub = int(cl.pending1 != NONE) + 2 * int(cl.pending2 != NONE);
        } else {         // x, a pending child of u: u rakes it (finished) or jumps over it (one left)
            int left = int(cl.pending1 != NONE) + int(cl.pending2 != NONE);
            int keep = left == 2 ? at : (cl.pending1 != NONE ? cl.pending1 : cl.pending2);   // NONE when x has finished
            if (left < 2) add(u, ca);
            if (keep != NONE) { if (pending.x == NONE) pending.x = keep; else pending.y = keep; }
            sub &= sub - 1;
        }
        if (sub == 0) {  // u advanced: rake (pending.x NONE) or compress, unless two are pending
            if (pending.y == NONE) { add(acc, u); ptr[i] = pending.x; }
            todo &= todo - 1;
            sub = -1;
        }
    } while (todo != 0);
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
