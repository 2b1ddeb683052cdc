/*
 * sha256.h — SHA-256 (FIPS 180-4, formerly 180-2), for the data file's
 * digest that a fitted model file records.
 *
 * Incremental: init, update with any number of byte runs, final.  The
 * context lives on the caller's stack; nothing is allocated.
 */
#ifndef MP_SHA256_H
#define MP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32
#define SHA256_HEX (2 * SHA256_BYTES + 1)   /* hex digits and the NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;            /* message length so far */
	unsigned char block[64];
	size_t used;               /* bytes in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* The digest as 32 bytes (out may be NULL) and as lower-case hex (hex may
 * be NULL, else SHA256_HEX bytes). */
void sha256_final(struct sha256 *s, unsigned char *out, char *hex);

#endif
