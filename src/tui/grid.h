/*
 * grid.h — an in-memory screen: a width x height array of cells, each one
 * character (a Unicode code point of display width 1) with attributes and
 * a colour.  The renderer draws into a grid; the curses front (term.c)
 * copies it to the terminal, and tests read it back as text.
 *
 * A grid is UTF-8 or ASCII: grid_glyph picks line-drawing characters for
 * one or the other, and grid_text clips text at the grid's edge.  The
 * cells are malloc'd by grid_resize and released by grid_free.
 */
#ifndef MP_GRID_H
#define MP_GRID_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum grid_attr {
	GA_BOLD = 1, GA_REVERSE = 2, GA_DIM = 4, GA_UNDERLINE = 8
};

/* Colours by meaning; the front maps them to terminal colours (or to
 * nothing, without colour). */
enum grid_color {
	GC_DEFAULT = 0, GC_DENSE, GC_MOE, GC_UPCYCLE, GC_WARN, GC_ERROR,
	GC_ACCENT, GC_MARK, GC_CONTINUE, GC_COUNT
};

struct grid_cell {
	uint32_t ch;
	uint8_t attr;
	uint8_t color;
};

struct grid {
	int w, h;
	int utf8;                 /* 1: UTF-8 locale; 0: ASCII only */
	struct grid_cell *cell;   /* h rows of w cells */
};

/* Glyphs with an ASCII fallback. */
enum grid_glyph {
	GG_HLINE, GG_VLINE, GG_TEE_DOWN, GG_TEE_UP, GG_TEE_LEFT, GG_TEE_RIGHT,
	GG_CORNER_TL, GG_CORNER_TR, GG_CORNER_BL, GG_CORNER_BR, GG_CROSS,
	GG_MARK, GG_ARROW_DOWN, GG_ARROW_UP, GG_HDASH,
	GG_SHADE                  /* a light shade: a chart's band */
};

void grid_init(struct grid *g, int utf8);
/* Size the grid to w x h (cleared); 0, or -1 if out of memory. */
int grid_resize(struct grid *g, int w, int h);
void grid_free(struct grid *g);
void grid_clear(struct grid *g);

uint32_t grid_glyph(const struct grid *g, enum grid_glyph which);
/* One cell; outside the grid does nothing. */
void grid_put(struct grid *g, int x, int y, uint32_t ch, int attr, int color);
/* UTF-8 text from (x, y), at most maxw columns (and not past the edge);
 * characters that are not printable become '?'.  Returns columns written. */
int grid_text(struct grid *g, int x, int y, int maxw, const char *s, int attr,
              int color);
/* The same, right-aligned in a field of w columns ending at x + w. */
int grid_text_right(struct grid *g, int x, int y, int w, const char *s,
                    int attr, int color);
/* Fill a rectangle with ch. */
void grid_fill(struct grid *g, int x, int y, int w, int h, uint32_t ch,
               int attr, int color);
/* Add attributes (and set the colour, unless color < 0) on a rectangle. */
void grid_style(struct grid *g, int x, int y, int w, int h, int attr,
                int color);

/* Columns a UTF-8 string takes (one per code point). */
int grid_width(const char *s);
/* Row y as UTF-8 without trailing blanks; returns its length (buf holds
 * at most n - 1 bytes and a NUL). */
size_t grid_row_utf8(const struct grid *g, int y, char *buf, size_t n);
/* The whole grid as text, one line per row; 0 or -1 on a write error. */
int grid_write(const struct grid *g, FILE *f);

#endif
