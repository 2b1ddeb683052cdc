/*
 * cuda_kernels.cu — the device kernels of the CUDA back end
 * (backend_cuda.c): the memory-bound kernels of an MoE layer, the same
 * ones src/bench/kernels.c runs on the host, and a fill for the buffers.
 * nvcc compiles this file into a fatbin (configure's NVCCFLAGS) that is
 * embedded in the program (cuda_fatbin.c, generated) and loaded at run
 * time through the driver API (cuModuleLoadData).  Nothing here is linked
 * into the host code: every entry point is extern "C" and looked up by
 * name (cuModuleGetFunction).
 *
 * Each kernel exists once per storage type, suffixed _bf16, _fp16 and
 * _fp8 (e4m3): elements are stored in the calibration's dtype and
 * computed in float, as the cost model (core/cost.h) counts one element
 * size for every kernel.  Token ids and slots are int32, router weights
 * float.  What each measures:
 *
 *   fill          p[i] = a small value from a hash of (seed, i): buffers
 *                 with data in them (not timed)
 *   softmax_topk  one warp per token: the row's max and sum of
 *                 exponentials by warp shuffles, then k rounds of a warp
 *                 arg-max over the experts not yet chosen; writes the k
 *                 weights and ids (reads T E elements)
 *   dispatch      the gather of each routed token row into its expert's
 *                 block, xe[slot[i]] = x[i / k], in 16-byte words when a
 *                 row allows it (the slots, a counting sort by expert, are
 *                 computed once on the host: the copy is what is timed)
 *   combine       out[t] = sum_j w[t k + j] ye[slot[t k + j]]: the
 *                 weighted scatter-add back, one thread per output element
 *   swiglu        out = silu(g) u, silu(g) = g / (1 + e^-g) (Shazeer 2020)
 *   triad         a = b + s c, the STREAM triad (McCalpin 1995): the
 *                 bandwidth kernel
 */
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <stdint.h>

typedef __nv_fp8_e4m3 fp8;

__device__ static inline float to_f(__nv_bfloat16 x) { return __bfloat162float(x); }
__device__ static inline float to_f(__half x) { return __half2float(x); }
__device__ static inline float to_f(fp8 x) { return static_cast<float>(x); }

template <typename T> __device__ static inline T from_f(float x);
template <> __device__ inline __nv_bfloat16 from_f(float x) { return __float2bfloat16(x); }
template <> __device__ inline __half from_f(float x) { return __float2half(x); }
template <> __device__ inline fp8 from_f(float x) { return fp8(x); }

#define GRID_STRIDE(i, n) \
	for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < (n); \
	     i += (size_t)gridDim.x * blockDim.x)

/* A value in [-0.5, 0.5) from (seed, i): an integer hash (the finaliser
 * of MurmurHash3, Appleby 2011), no denormals, no NaN. */
__device__ static inline float hash_value(uint32_t seed, size_t i)
{
	uint32_t h = seed ^ (uint32_t)i ^ (uint32_t)(i >> 32) * 0x9e3779b9u;

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return (float)(h >> 8) * (1.0f / 16777216.0f) - 0.5f;
}

template <typename T>
__device__ static void fill(T *p, size_t n, uint32_t seed)
{
	GRID_STRIDE(i, n)
		p[i] = from_f<T>(hash_value(seed, i));
}

/* The best (value, expert) of this lane's experts not in chosen[0..j),
 * then the warp's best by shuffles (ties: the lower expert). */
template <typename T>
__device__ static void warp_best(const T *row, int E, const int *chosen, int j,
                                 float *v, int *e)
{
	float bv = -INFINITY;
	int be = E;

	for (int x = threadIdx.x % 32; x < E; x += 32) {
		float lx = to_f(row[x]);
		int taken = 0;

		for (int c = 0; c < j; c++)
			taken |= chosen[c] == x;
		if (!taken && (lx > bv || (lx == bv && x < be))) {
			bv = lx;
			be = x;
		}
	}
	for (int off = 16; off > 0; off /= 2) {
		float ov = __shfl_xor_sync(0xffffffffu, bv, off);
		int oe = __shfl_xor_sync(0xffffffffu, be, off);

		if (ov > bv || (ov == bv && oe < be)) {
			bv = ov;
			be = oe;
		}
	}
	*v = bv;
	*e = be;
}

#define TOPK_MAX 16

/* Softmax over a row of E logits and its top k (k <= TOPK_MAX): one warp
 * per token, a block of 8 warps (launch: 256 threads). */
template <typename T>
__device__ static void softmax_topk(const T *logits, int T_, int E, int k,
                                    float *w, int *ids)
{
	int t = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
	int chosen[TOPK_MAX];
	float mx = -INFINITY, sum = 0;
	const T *row;

	if (t >= T_)
		return;
	row = logits + (size_t)t * E;
	for (int x = threadIdx.x % 32; x < E; x += 32)
		mx = fmaxf(mx, to_f(row[x]));
	for (int off = 16; off > 0; off /= 2)
		mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, off));
	for (int x = threadIdx.x % 32; x < E; x += 32)
		sum += __expf(to_f(row[x]) - mx);
	for (int off = 16; off > 0; off /= 2)
		sum += __shfl_xor_sync(0xffffffffu, sum, off);
	for (int j = 0; j < k && j < TOPK_MAX; j++) {
		float v;
		int e;

		warp_best(row, E, chosen, j, &v, &e);
		chosen[j] = e;
		if (threadIdx.x % 32 == 0) {
			w[(size_t)t * k + j] = __expf(v - mx) / sum;
			ids[(size_t)t * k + j] = e;
		}
	}
}

/* xe[slot[i]] = x[i / k] for the n = T k routed rows of `words` words. */
template <typename W>
__device__ static void dispatch(const W *x, const int *slot, size_t n, int k,
                                size_t words, W *xe)
{
	GRID_STRIDE(i, n * words) {
		size_t r = i / words, c = i % words;

		xe[(size_t)slot[r] * words + c] = x[(r / k) * words + c];
	}
}

template <typename T>
__device__ static void combine(const T *ye, const float *w, const int *slot,
                               size_t T_, int k, size_t d, T *out)
{
	GRID_STRIDE(i, T_ * d) {
		size_t t = i / d, c = i % d;
		float acc = 0;

		for (int j = 0; j < k; j++)
			acc += w[t * k + j] * to_f(ye[(size_t)slot[t * k + j] * d + c]);
		out[i] = from_f<T>(acc);
	}
}

template <typename T>
__device__ static void swiglu(const T *g, const T *u, T *out, size_t n)
{
	GRID_STRIDE(i, n) {
		float gv = to_f(g[i]);

		out[i] = from_f<T>(gv / (1.0f + __expf(-gv)) * to_f(u[i]));
	}
}

template <typename T>
__device__ static void triad(T *a, const T *b, const T *c, size_t n, float s)
{
	GRID_STRIDE(i, n)
		a[i] = from_f<T>(to_f(b[i]) + s * to_f(c[i]));
}

/* The entry points, one set per storage type. */
#define ENTRIES(T, SUF) \
extern "C" __global__ void mp_fill_##SUF(T *p, size_t n, uint32_t seed) \
{ fill(p, n, seed); } \
extern "C" __global__ void mp_softmax_topk_##SUF(const T *l, int t, int e, \
                                                 int k, float *w, int *ids) \
{ softmax_topk(l, t, e, k, w, ids); } \
extern "C" __global__ void mp_combine_##SUF(const T *ye, const float *w, \
                                            const int *slot, size_t t, int k, \
                                            size_t d, T *out) \
{ combine(ye, w, slot, t, k, d, out); } \
extern "C" __global__ void mp_swiglu_##SUF(const T *g, const T *u, T *out, \
                                           size_t n) \
{ swiglu(g, u, out, n); } \
extern "C" __global__ void mp_triad_##SUF(T *a, const T *b, const T *c, \
                                          size_t n, float s) \
{ triad(a, b, c, n, s); }

ENTRIES(__nv_bfloat16, bf16)
ENTRIES(__half, fp16)
ENTRIES(fp8, fp8)

/* Dispatch copies rows: by 16-byte words when a row is a whole number of
 * them, else by bytes. */
extern "C" __global__ void mp_dispatch_w16(const uint4 *x, const int *slot,
                                           size_t n, int k, size_t words,
                                           uint4 *xe)
{
	dispatch(x, slot, n, k, words, xe);
}

extern "C" __global__ void mp_dispatch_w1(const uint8_t *x, const int *slot,
                                          size_t n, int k, size_t words,
                                          uint8_t *xe)
{
	dispatch(x, slot, n, k, words, xe);
}
