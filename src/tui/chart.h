/*
 * chart.h — the loss-vs-budget chart of the view model drawn into a grid
 * rectangle (braille cells in UTF-8, letters in ASCII).
 */
#ifndef MP_CHART_H
#define MP_CHART_H

#include "view.h"
#include "grid.h"

/* Draw c into the w x h rectangle at (x, y) of g: y labels, plot, x labels
 * on the last row (the crossovers below them when there are any). */
void chart_draw(struct grid *g, int x, int y, int w, int h,
                const struct view_chart *c);
/* The colour of a path's curve and column, and the letter that names it
 * on the curve and in the legend ('d', 'm', 'u', 'c'). */
int chart_path_color(int path);
char chart_path_letter(int path);

#endif
