/*
 * law.h — one fitted scaling law.
 *
 * A law is a loss expression L(x), the compute rule C(x) it was fitted with,
 * optional derived quantities, named coefficients, and variables bound to
 * roles the planner understands (DESIGN.md, "Laws as data").  Expressions are
 * parsed and evaluated with libmatheval.  A law owns every string, array and
 * evaluator inside it; law_free releases them all.  Laws are built by a loader
 * (src/io) through the law_add_* / law_set_* calls, then sealed by law_finish;
 * after law_finish they are read-only and safe to evaluate.
 *
 * Expression syntax is libmatheval's, plus one extension: log10(x).  Beware:
 * libmatheval's '^' is LEFT-associative (2^3^2 = 64), so write a^(b^c); the
 * names e and pi (and libmatheval's other constants: log2e, log10e, ln2,
 * ln10, pi_2, pi_4, sqrt2, sqrt1_2) are constants, not symbols.  log() is
 * the natural log.  Expressions are checked before libmatheval sees them
 * (law.c): at most LAW_EXPR_MAX bytes, nesting (parentheses, unary minus)
 * at most LAW_EXPR_DEPTH deep, number literals finite.
 */
#ifndef MP_LAW_H
#define MP_LAW_H

#include <stddef.h>

#include "error.h"

struct lawfit_info;       /* core/lawfit.h */

#define LAW_MAX_VARS 8    /* variables per law */
#define LAW_MAX_SYMS 64   /* coefficients + derived + variables */
#define LAW_MAX_LOSS 1e3 /* the largest loss a law may give inside its fit
                           * ranges: a cross-entropy in nats or bits (log V
                           * of a uniform guess is about 10-12) */
#define LAW_EXPR_MAX 4096 /* bytes in one expression */
#define LAW_EXPR_DEPTH 64 /* nesting of parentheses and unary minus */

/*
 * Training path.  A law describes one of the first PATH_LAWS (its file's
 * `path:` key); PATH_CONTINUE is planned with the dense law from an
 * existing checkpoint (plan.h): continued dense training, never a law's
 * own path.
 */
enum law_path { PATH_DENSE = 0, PATH_MOE = 1, PATH_UPCYCLE = 2,
                PATH_CONTINUE = 3, PATH_COUNT = 4 };
#define PATH_LAWS 3   /* the paths a law file may name */

/* What the planner may do with a variable. */
enum law_role {
	ROLE_PARAMS,       /* model size: chosen, or pinned (checkpoint N1)       */
	ROLE_TOKENS,       /* training tokens: eliminated by the budget           */
	ROLE_TOKENS_DENSE, /* upcycling: dense-phase tokens D1: chosen or pinned  */
	ROLE_TOKENS_MOE,   /* upcycling: MoE-phase tokens D2: eliminated          */
	ROLE_EXPERTS,      /* expert count: discrete, from `values`               */
	ROLE_GRANULARITY,  /* expert granularity G: discrete, from `values`       */
	ROLE_SPARSITY,     /* sparsity S = (E-K)/E: discrete, from `values`       */
	ROLE_COUNT
};

/* Which parameter count a law's params variable means. */
enum law_count {
	COUNT_TOTAL,          /* all parameters, embeddings included         */
	COUNT_ACTIVE,         /* active per token, embeddings included       */
	COUNT_NONEMB_TOTAL,   /* all parameters minus embeddings and logits  */
	COUNT_NONEMB_ACTIVE,  /* active per token, minus embeddings/logits   */
	COUNT_DENSE_BASE,     /* the dense model the MoE mirrors/upcycles    */
	COUNT_KINDS
};

/* Which expression of a law. */
enum law_expr { LAW_LOSS, LAW_FLOPS };

struct law_var {
	char *name;
	enum law_role role;
	double fit_lo, fit_hi;  /* fitted range; NAN, NAN if not declared */
	double *values;         /* discrete choices, ascending; NULL if continuous */
	size_t n_values;
};

struct law {
	char *model;            /* model file's name, e.g. "liew2025" */
	char *name;             /* law's key in the file, e.g. "upcycled" */
	enum law_path path;
	enum law_count count;
	char *loss_src, *flops_src;  /* expressions as written */
	char *baseline;         /* law (same model) whose loss at (params,
	                           tokens_dense) is the starting point, or NULL */
	int fitted;             /* 0 if some coefficient has no value (form only) */
	char *note;             /* free text shown by `laws show`, or NULL */
	char *variant;          /* the model's variant this law is a reading
	                           of (law_variant), NULL: the file's own */
	struct lawfit_info *fit;/* how to fit the law and what a fit found
	                           (its fitting: and fitted: keys, lawfit.h),
	                           or NULL; owned; a variant has none */

	size_t n_coef;
	char *coef_name[LAW_MAX_SYMS];
	double coef_value[LAW_MAX_SYMS];   /* NAN = not fitted */

	size_t n_derived;
	char *derived_name[LAW_MAX_SYMS];
	char *derived_src[LAW_MAX_SYMS];

	size_t n_vars;
	struct law_var vars[LAW_MAX_VARS];

	int elim;               /* index of the variable the budget eliminates,
	                           -1 if none (set by law_finish) */

	/* private: evaluators and the symbol table, in the order
	 * coefficients, derived, variables */
	void *loss_ev, *flops_ev, *dflops_ev;
	void *derived_ev[LAW_MAX_SYMS];
	char *sym[LAW_MAX_SYMS];
	size_t n_sym;
	int sealed;
};

/* Names <-> enums; *_parse return -1 (and fill err) on an unknown name.
 * law_path_parse takes the paths a law may declare (dense, moe, upcycle);
 * law_path_name names every path, continue too. */
const char *law_path_name(enum law_path p);
int law_path_parse(const char *s, enum law_path *out, struct mp_error *err);
const char *law_role_name(enum law_role r);
int law_role_parse(const char *s, enum law_role *out, struct mp_error *err);
const char *law_count_name(enum law_count c);
int law_count_parse(const char *s, enum law_count *out, struct mp_error *err);

/* A new, empty law.  Returns NULL on allocation failure. */
struct law *law_new(const char *model, const char *name, enum law_path path,
                    enum law_count count);
void law_free(struct law *L);

/* Building.  Each returns 0, or -1 with err filled (no position: the
 * loader adds it).  Names must be unique across coefficients, derived
 * quantities and variables, and must not be a libmatheval constant.
 * value NAN declares a coefficient the law needs but does not have.
 *
 * Subjects (err->what, error.h): an error about one symbol names it
 * (MP_WHAT_COEFFICIENT, _VARIABLE, _DERIVED with its name), an error in the
 * loss or flops expression is MP_WHAT_LOSS or MP_WHAT_FLOPS; errors about
 * the law as a whole (too many symbols, roles missing or doubled, a
 * baseline on a non-upcycle law, out of memory) are MP_WHAT_NONE.  So are
 * the errors of law_finish and law_check_range below. */
int law_add_coefficient(struct law *L, const char *name, double value,
                        struct mp_error *err);
/* Copies v (name and values are duplicated). */
int law_add_variable(struct law *L, const struct law_var *v,
                     struct mp_error *err);
/* Declare a derived quantity; its expression is set later, so that
 * derived quantities may be declared before the symbols they use. */
int law_add_derived(struct law *L, const char *name, struct mp_error *err);
/* Expression of derived quantity i: may use coefficients, variables and
 * derived quantities declared before it. */
int law_set_derived_expr(struct law *L, size_t i, const char *expr,
                         struct mp_error *err);
/* Loss or compute expression: may use every declared symbol. */
int law_set_expr(struct law *L, enum law_expr which, const char *expr,
                 struct mp_error *err);
int law_set_baseline(struct law *L, const char *law_name, struct mp_error *err);
int law_set_note(struct law *L, const char *note, struct mp_error *err);
/* Seal: checks that loss and flops are set, that the roles fit the path
 * (dense/moe: one params and one tokens variable; upcycle: params,
 * tokens_dense, tokens_moe), that discrete roles have values, and finds
 * the eliminated variable.  A role that does not fit the path is an error
 * about the first variable with that role. */
int law_finish(struct law *L, struct mp_error *err);

/*
 * A variant: another reading of sealed law B that its sources leave open.
 * A new sealed law named as B, of B's model, path, count, coefficients,
 * variables, baseline and note, marked with the variant's name, whose
 * loss, flops and derived expressions are B's except those given: loss or
 * flops NULL keeps B's; derived has B->n_derived entries (or is NULL),
 * each NULL to keep B's.  NULL with err (its subject as law_set_expr's
 * and law_set_derived_expr's) when an expression does not parse.
 */
struct law *law_variant(const struct law *B, const char *variant,
                        const char *loss, const char *flops,
                        const char *const *derived, struct mp_error *err);

/* Lookups; -1 if absent. */
int law_var_index(const struct law *L, const char *name);
int law_role_index(const struct law *L, enum law_role r);
int law_coef_index(const struct law *L, const char *name);

/* Evaluation at x (the law's variables, in vars[] order).  Return NAN if
 * the law is unfitted or the expression is undefined there. */
double law_loss(const struct law *L, const double *x);
double law_flops(const struct law *L, const double *x);
/* d flops / d x[elim] (symbolic derivative). */
double law_dflops(const struct law *L, const double *x);
/* Value of derived quantity i at x. */
double law_derived(const struct law *L, size_t i, const double *x);

/*
 * A sealed, fitted law must be usable inside its fit ranges: at the ends
 * and geometric middle of each variable's range (first, middle and last
 * of its values), every combination, the derived quantities, the loss and
 * d flops / d x[elim] must be finite, loss and flops positive.  -1 with a
 * message naming the first bad point, about the derived quantity, the loss
 * or the flops (its derivative too); 0 for a law that is unfitted or has
 * a variable with neither range nor values.
 */
int law_check_range(const struct law *L, struct mp_error *err);

/* -1 with a message naming the missing coefficients if the law is unfitted. */
int law_check_fitted(const struct law *L, struct mp_error *err);

#endif
