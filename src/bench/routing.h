/*
 * routing.h — token-to-expert routings for the microbenchmark: balanced,
 * or skewed by a seeded Zipf law.
 */
#ifndef MP_BENCH_ROUTING_H
#define MP_BENCH_ROUTING_H

/*
 * Routing of T tokens to top_k distinct experts out of E: balanced
 * (skew = 0: token t takes experts t k, ..., t k + k - 1 modulo E) or drawn
 * from a Zipf law p_e ∝ rank^-skew over a random ranking (GSL's mt19937
 * seeded with seed), so some experts get many tokens and some one or none.
 * assign holds T x k ids; counts (may be NULL) gets E tokens-per-expert.
 * Returns 0 or -1 when memory runs out.
 */
int bench_route(int T, int E, int k, double skew, unsigned long seed,
                int *assign, int *counts);

#endif
