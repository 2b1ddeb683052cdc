/*
 * regula.c — the Illinois variant of regula falsi (regula.h).
 */
#include "config.h"

#include "regula.h"

#include <math.h>

void regula_init(struct regula *r, double level, double in, double v_in,
                 double out, double v_out)
{
	r->level = level;
	r->in = in;
	r->v_in = v_in;
	r->out = out;
	r->v_out = v_out;
	r->side = 0;
}

double regula_next(const struct regula *r)
{
	double gi = r->v_in - r->level, go = r->v_out - r->level;
	double m = isfinite(go) ? (r->in * go - r->out * gi) / (go - gi)
	                        : (r->in + r->out) / 2;

	if (!(m > fmin(r->in, r->out) && m < fmax(r->in, r->out)))
		m = (r->in + r->out) / 2;
	return m;
}

/* The Illinois step: the end that stays has its distance from the level
 * halved when the other end has moved twice running. */
void regula_take(struct regula *r, double x, double v)
{
	if (v <= r->level) {
		r->in = x;
		r->v_in = v;
		if (r->side == 1)
			r->v_out = r->level + (r->v_out - r->level) / 2;
		r->side = 1;
	} else {
		r->out = x;
		r->v_out = v;
		if (r->side == -1)
			r->v_in = r->level + (r->v_in - r->level) / 2;
		r->side = -1;
	}
}
