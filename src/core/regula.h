/*
 * regula.h — a root in a bracket by the Illinois variant of regula falsi
 * (Dowell and Jarratt 1971): the secant through the bracket's ends, and
 * when the same end moves twice running the other end's value halves, so
 * that the bracket closes superlinearly instead of creeping from one side.
 * Where the outer end's value is infinite (no value there) it bisects.
 * For the flat range's ends (plan.c) and a target's least budget
 * (plan_target.c); the caller evaluates and says when to stop.
 */
#ifndef MP_REGULA_H
#define MP_REGULA_H

/* The root of v(x) = level; in: v(in) <= level; out: v(out) > level,
 * possibly +INFINITY. */
struct regula {
	double level;
	double in, v_in;
	double out, v_out;
	int side;                /* which end moved last: 1 in, -1 out */
};

void regula_init(struct regula *r, double level, double in, double v_in,
                 double out, double v_out);
/* The next point to evaluate, strictly inside the bracket. */
double regula_next(const struct regula *r);
/* v = v(x) at the point regula_next gave: x replaces the end of its
 * side of the level. */
void regula_take(struct regula *r, double x, double v);

#endif
