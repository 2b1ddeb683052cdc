/*
 * grid.c — the in-memory screen (grid.h): cells, UTF-8 text in and out,
 * line-drawing glyphs with ASCII fallbacks.
 */
#include "config.h"

#include "grid.h"

#include <stdlib.h>
#include <string.h>

void grid_init(struct grid *g, int utf8)
{
	memset(g, 0, sizeof *g);
	g->utf8 = utf8;
}

int grid_resize(struct grid *g, int w, int h)
{
	struct grid_cell *c;

	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w != g->w || h != g->h) {
		if ((c = realloc(g->cell, (size_t)w * (size_t)h * sizeof *c)) == NULL)
			return -1;
		g->cell = c;
		g->w = w;
		g->h = h;
	}
	grid_clear(g);
	return 0;
}

void grid_free(struct grid *g)
{
	free(g->cell);
	g->cell = NULL;
	g->w = g->h = 0;
}

void grid_clear(struct grid *g)
{
	for (int i = 0; i < g->w * g->h; i++)
		g->cell[i] = (struct grid_cell){ ' ', 0, GC_DEFAULT };
}

uint32_t grid_glyph(const struct grid *g, enum grid_glyph which)
{
	/* box drawing (U+2500 block), dashed line, arrows, light shade */
	static const uint32_t uni[] = {
		0x2500, 0x2502, 0x252c, 0x2534, 0x2524, 0x251c,
		0x250c, 0x2510, 0x2514, 0x2518, 0x253c, 0x250a, 0x2193, 0x2191,
		0x2504, 0x2591
	};
	static const char ascii[] = "-|+++++++++:v^-.";

	if ((size_t)which >= sizeof uni / sizeof uni[0])
		return '?';
	return g->utf8 ? uni[which] : (uint32_t)(unsigned char)ascii[which];
}

void grid_put(struct grid *g, int x, int y, uint32_t ch, int attr, int color)
{
	struct grid_cell *c;

	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	c = &g->cell[y * g->w + x];
	c->ch = ch;
	c->attr = (uint8_t)attr;
	c->color = (uint8_t)color;
}

/* Next code point of s (advancing *s); malformed bytes give U+FFFD. */
static uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;

	if (n < 0) {
		*s += 1;
		return 0xfffd;
	}
	if (n > 0)
		c &= 0x3fu >> n;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += i;
			return 0xfffd;
		}
		c = c << 6 | (p[i] & 0x3fu);
	}
	*s += n + 1;
	return c;
}

int grid_width(const char *s)
{
	int n = 0;

	while (*s) {
		utf8_next(&s);
		n++;
	}
	return n;
}

int grid_text(struct grid *g, int x, int y, int maxw, const char *s, int attr,
              int color)
{
	int n = 0;

	while (*s && n < maxw && x + n < g->w) {
		uint32_t c = utf8_next(&s);

		if (c < 0x20 || c == 0x7f || (!g->utf8 && c >= 0x80) || c == 0xfffd)
			c = '?';
		grid_put(g, x + n, y, c, attr, color);
		n++;
	}
	return n;
}

int grid_text_right(struct grid *g, int x, int y, int w, const char *s,
                    int attr, int color)
{
	int n = grid_width(s);

	if (n > w)
		n = w;
	return grid_text(g, x + w - n, y, n, s, attr, color);
}

void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t ch,
               int attr, int color)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			grid_put(g, i, j, ch, attr, color);
}

void grid_style(struct grid *g, int x, int y, int w, int h, int attr,
                int color)
{
	for (int j = y; j < y + h && j < g->h; j++)
		for (int i = x; i < x + w && i < g->w; i++) {
			struct grid_cell *c;

			if (i < 0 || j < 0)
				continue;
			c = &g->cell[j * g->w + i];
			c->attr |= (uint8_t)attr;
			if (color >= 0)
				c->color = (uint8_t)color;
		}
}

/* UTF-8 encoding of c into out (4 bytes); returns the length. */
static size_t utf8_put(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t grid_row_utf8(const struct grid *g, int y, char *buf, size_t n)
{
	size_t len = 0, keep = 0;

	if (n == 0)
		return 0;
	for (int x = 0; y >= 0 && y < g->h && x < g->w; x++) {
		char enc[4];
		uint32_t c = g->cell[y * g->w + x].ch;
		size_t k = utf8_put(c, enc);

		if (len + k >= n)
			break;
		memcpy(buf + len, enc, k);
		len += k;
		if (c != ' ')
			keep = len;
	}
	buf[keep] = '\0';
	return keep;
}

int grid_write(const struct grid *g, FILE *f)
{
	size_t n = (size_t)g->w * 4 + 1;
	char *line = malloc(n);
	int rc = 0;

	if (line == NULL)
		return -1;
	for (int y = 0; y < g->h; y++) {
		grid_row_utf8(g, y, line, n);
		if (fprintf(f, "%s\n", line) < 0)
			rc = -1;
	}
	free(line);
	return rc;
}
