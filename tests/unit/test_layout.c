/*
 * test_layout.c — parallel layouts (src/core/layout.c): the checks, the
 * layers of each pipeline stage, and the search over the layouts that fit.
 *
 * Expected values are counted by hand below (the layouts of a 2-device,
 * 2-layer model, listed), or are the search's own requirements (every
 * layout uses G devices, b m dp is the global batch, each fits by
 * memory_per_device and none that fits is left out).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/layout.h"
#include "core/memory.h"
#include "tap.h"

#define MAX 4096

static struct arch small(void)
{
	struct arch a;

	memset(&a, 0, sizeof a);
	a.layers = 2;
	a.d_model = 256;
	a.heads = 2;
	a.kv_heads = 2;
	a.head_dim = 128;
	a.d_ff = 1024;
	a.mlp_matrices = 3;
	a.vocab = 1000;
	a.seq = 512;
	return a;
}

static void test_checks(void)
{
	struct arch a = small();
	struct layout l = { 1, 1, 1, 1, 1, 0, LAYOUT_RECOMPUTE_NONE, 0, 1, 1, 0 };
	struct mp_error err;

	check_int(layout_check(&l, &a, &err), 0, "a layout of one device");
	check_int(layout_devices(&l), 1, "... one device");
	l.pp = 3;
	check_int(layout_check(&l, &a, &err), -1, "3 stages for 2 layers");
	check(strstr(err.msg, "pp") != NULL, "... names pp");
	l.pp = 1;
	l.ep = 2;
	check_int(layout_check(&l, &a, &err), -1, "ep 2 for a dense model");
	l.ep = 1;
	l.zero = 4;
	check_int(layout_check(&l, &a, &err), -1, "ZeRO stage 4");
	l.zero = 0;
	l.tp = 4;
	check_int(layout_check(&l, &a, &err), -1, "tp 4 over 2 heads");
	a.layers = 10;
	l.tp = 1;
	l.pp = 4;
	/* 10 layers over 4 stages: 3, 3, 2, 2, starting at 0, 3, 6, 8 */
	check_int(layout_stage_layers(&l, &a, 0), 3, "stage 0: 3 layers");
	check_int(layout_stage_layers(&l, &a, 3), 2, "stage 3: 2 layers");
	check_int(layout_stage_first(&l, &a, 3), 8, "stage 3 starts at layer 8");
	a.experts = 4;
	a.top_k = 1;
	a.d_expert = 256;
	a.moe_every = 2;   /* layers 1, 3, 5, 7, 9 */
	check_int(layout_stage_moe_layers(&l, &a, 0), 1, "stage 0 (0-2): 1 MoE");
	check_int(layout_stage_moe_layers(&l, &a, 1), 2, "stage 1 (3-5): 2 MoE");
}

/* The interleaved schedule's conditions (layout.h). */
static void test_check_vpp(void)
{
	struct arch a = small();
	struct layout l = { 1, 2, 1, 1, 1, 0, LAYOUT_RECOMPUTE_NONE, 0, 1, 2, 0 };
	struct mp_error err;

	a.layers = 4;
	check_int(layout_chunks(&l), 1, "vpp 0: one chunk per stage");
	l.vpp = 2;
	check_int(layout_check(&l, &a, &err), 0, "pp 2 v 2 over 4 layers, m 2");
	check_int(layout_chunks(&l), 2, "... two chunks per stage");
	l.vpp = 3;
	check_int(layout_check(&l, &a, &err), -1, "pp 2 v 3: 6 chunks, 4 layers");
	check(strstr(err.msg, "vpp") != NULL, "... names vpp");
	a.layers = 6;
	l.vpp = 2;
	check_int(layout_check(&l, &a, &err), 0, "pp 2 v 2 over 6 layers: "
	          "unequal chunks allowed");
	l.vpp = 3;
	check_int(layout_check(&l, &a, &err), 0, "pp 2 v 3: 6 chunks of 1 layer");
	a.layers = 4;
	l.vpp = 2;
	l.micro_batches = 3;
	check_int(layout_check(&l, &a, &err), -1, "m 3 not a multiple of pp 2");
	l.micro_batches = 2;
	l.pp = 1;
	l.dp = 2;
	check_int(layout_check(&l, &a, &err), -1, "v 2 without a pipeline");
	l.vpp = -1;
	check_int(layout_check(&l, &a, &err), -1, "vpp -1");
}

/* 2 devices, 4 layers, global batch 2, b <= 2, memory no limit:
 *   tp 1 pp 1 dp 2: b 1 (m 1); ZeRO 0-3; 3 policies: 12
 *   tp 1 pp 2 dp 1: b 1 (m 2) with v 1 or 2 (v 4 would be 8 chunks of 4 layers),
 *                   b 2
 *                   (m 1, not a multiple of pp: v 1); ZeRO 0; 3 policies: 9
 *   tp 2 pp 1 dp 1: b 1, b 2; ZeRO 0; 3 policies: 6
 * 27 in all, 3 of them interleaved. */
static void test_search_vpp(void)
{
	struct arch a = small();
	struct arch_params pa;
	struct memory_precision p;
	struct memory_act_model m;
	struct layout_space s = { 2, 8, 1e15, 2, 2 };
	static struct layout list[MAX];
	struct mp_error err;
	size_t n;
	int v2 = 0, bad = 0;

	a.layers = 4;
	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	check_int(layout_search(&s, &a, &pa, &p, &m, list, MAX, &n, &err), 0,
	          "search 2 devices, 4 layers");
	check_int((long)n, 27, "27 layouts, counted by hand");
	for (size_t i = 0; i < n && i < MAX; i++) {
		v2 += layout_chunks(&list[i]) == 2;
		bad += layout_check(&list[i], &a, &err) != 0;
	}
	check_int(v2, 3, "3 interleaved: pp 2, b 1, v 2, each policy");
	check_int(bad, 0, "each passes layout_check");
}

static double prefer_tp(const struct layout *l, void *ctx)
{
	(void)ctx;
	return 1.0 / l->tp + l->micro_batch * 1e-3;
}

static double never(const struct layout *l, void *ctx)
{
	(void)l;
	(void)ctx;
	return NAN;
}

/* 2 devices, 2 layers, 2 heads, global batch 2, b <= 2, memory no limit:
 *   tp 1 pp 1 dp 2: b 1 (m 1); ZeRO 0-3; 3 policies: 12
 *   tp 1 pp 2 dp 1: b 1 (m 2), b 2 (m 1); ZeRO 0; 3 policies: 6
 *   tp 2 pp 1 dp 1: b 1, b 2; ZeRO 0; 3 policies: 6
 * 24 in all. */
static void test_search_count(void)
{
	struct arch a = small();
	struct arch_params pa;
	struct memory_precision p;
	struct memory_act_model m;
	struct layout_space s = { 2, 8, 1e15, 2, 2 };
	static struct layout list[MAX];
	struct mp_error err;
	size_t n;
	long best;
	int bad = 0;

	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	check_int(layout_search(&s, &a, &pa, &p, &m, list, MAX, &n, &err), 0,
	          "search 2 devices");
	check_int((long)n, 24, "24 layouts, counted by hand");
	for (size_t i = 0; i < n && i < MAX; i++)
		bad += layout_devices(&list[i]) != 2 ||
		       list[i].micro_batch * list[i].micro_batches * list[i].dp != 2 ||
		       (list[i].tp > 1) != list[i].sequence_parallel;
	check_int(bad, 0, "each uses 2 devices, b m dp = 2, SP iff tp > 1");
	best = layout_fastest(list, n, prefer_tp, NULL);
	check(best >= 0 && list[best].tp == 2 && list[best].micro_batch == 1,
	      "the caller's time picks tp 2, b 1");
	check_int(layout_fastest(list, n, never, NULL), -1, "no finite time: -1");
	s.device_bytes = 1e3;
	layout_search(&s, &a, &pa, &p, &m, list, MAX, &n, &err);
	check_int((long)n, 0, "1 kB devices: nothing fits");
	s.global_batch = 0;
	check_int(layout_search(&s, &a, &pa, &p, &m, list, MAX, &n, &err), -1,
	          "a batch of 0 is refused");
}

/* A 7B-class model on 8 devices of 80 GB: what fits is what
 * memory_per_device says fits, and no fitting layout is missed. */
static void test_search_fits(void)
{
	struct arch a = small();
	struct arch_params pa;
	struct memory_precision p;
	struct memory_act_model m;
	struct layout_space s = { 8, 8, 80e9, 64, 8 };
	static struct layout list[MAX];
	struct mp_error err;
	size_t n, fits = 0, all = 0;
	int over = 0;

	a.layers = 32;
	a.d_model = 4096;
	a.heads = 32;
	a.kv_heads = 32;
	a.d_ff = 11008;
	a.vocab = 32000;
	a.seq = 4096;
	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	layout_search(&s, &a, &pa, &p, &m, list, MAX, &n, &err);
	for (size_t i = 0; i < n && i < MAX; i++) {
		struct memory_use u;

		memory_per_device(&a, &pa, &list[i], &p, &m, s.device_bytes, &u);
		over += u.total > s.device_bytes;
	}
	check(n > 0 && n <= MAX, "a 7B model fits 8 x 80 GB somehow");
	check_int(over, 0, "every layout found fits");
	/* without the memory limit, count those that fit by hand */
	s.device_bytes = 1e18;
	layout_search(&s, &a, &pa, &p, &m, list, MAX, &all, &err);
	for (size_t i = 0; i < all && i < MAX; i++) {
		struct memory_use u;

		memory_per_device(&a, &pa, &list[i], &p, &m, 80e9, &u);
		fits += u.total <= 80e9;
	}
	check_int((long)fits, (long)n, "... and none that fits is left out");
	check(all <= MAX, "... all of them listed");
	check(fits < all, "... and some do not fit (16 bytes x 6.7B > 80 GB)");
}

/* Each stage starts where the stages before it end (summed here), and
 * the stages cover the layers. */
static void test_stage_first(void)
{
	struct arch a = { .layers = 61, .d_model = 64 };
	int bad = 0;

	for (int pp = 1; pp <= 16; pp++) {
		struct layout l = { .tp = 1, .pp = pp, .dp = 1, .ep = 1, .cp = 1 };
		int first = 0;

		for (int k = 0; k < pp; k++) {
			bad += layout_stage_first(&l, &a, k) != first;
			first += layout_stage_layers(&l, &a, k);
		}
		bad += first != a.layers;
	}
	check_int(bad, 0, "pp 1..16 over 61 layers: each stage's first layer is "
	          "the sum of the stages before it");
}

int main(void)
{
	test_stage_first();
	test_check_vpp();
	test_search_vpp();
	test_checks();
	test_search_count();
	test_search_fits();
	return check_done();
}
