/*
 * law.c — building, checking and evaluating one scaling law (see law.h).
 *
 * Expressions are parsed by libmatheval into evaluators.  Every evaluator is
 * handed the same symbol table (coefficients, then derived quantities, then
 * variables) and the same value array; libmatheval ignores names an
 * expression does not use.  Derived quantities are evaluated in declaration
 * order, so each may use the ones declared before it.
 */
#include "config.h"

#include "law.h"
#include "lawfit.h"

#include <ctype.h>
#include <math.h>
#include <matheval.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const path_names[PATH_COUNT] = { "dense", "moe", "upcycle",
                                                    "continue" };
static const char *const role_names[ROLE_COUNT] = {
	"params", "tokens", "tokens_dense", "tokens_moe",
	"experts", "granularity", "sparsity",
};
static const char *const count_names[COUNT_KINDS] = {
	"total", "active", "nonemb_total", "nonemb_active", "dense_base",
};

/* libmatheval 1.1.11's reserved words (its scanner.l): the constants,
 * then the functions (log10 is ours, rewritten before parsing). */
static const char *const reserved[] = {
	"e", "log2e", "log10e", "ln2", "ln10", "pi", "pi_2", "pi_4", "1_pi",
	"2_pi", "2_sqrtpi", "sqrt2", "sqrt1_2",
#define N_CONSTANTS 13
	"exp", "log", "log10", "sqrt", "sin", "cos", "tan", "cot",
	"sec", "csc", "asin", "acos", "atan", "acot", "asec", "acsc", "sinh",
	"cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh",
	"acoth", "asech", "acsch", "abs", "step", "delta", "nandelta", "erf",
	NULL,
};

static int parse_name(const char *const *names, int n, const char *what,
                      const char *s, int *out, struct mp_error *err)
{
	char list[256] = "";

	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
		strcat(list, i ? ", " : "");
		strcat(list, names[i]);
	}
	return mp_error_set(err, "unknown %s '%s' (expected one of: %s)", what, s,
	                    list);
}

const char *law_path_name(enum law_path p)
{
	return (unsigned)p < PATH_COUNT ? path_names[p] : "?";
}

int law_path_parse(const char *s, enum law_path *out, struct mp_error *err)
{
	int i;

	if (parse_name(path_names, PATH_LAWS, "path", s, &i, err) != 0)
		return -1;
	*out = (enum law_path)i;
	return 0;
}

const char *law_role_name(enum law_role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int law_role_parse(const char *s, enum law_role *out, struct mp_error *err)
{
	int i;

	if (parse_name(role_names, ROLE_COUNT, "role", s, &i, err) != 0)
		return -1;
	*out = (enum law_role)i;
	return 0;
}

const char *law_count_name(enum law_count c)
{
	return (unsigned)c < COUNT_KINDS ? count_names[c] : "?";
}

int law_count_parse(const char *s, enum law_count *out, struct mp_error *err)
{
	int i;

	if (parse_name(count_names, COUNT_KINDS, "parameter count", s, &i, err) != 0)
		return -1;
	*out = (enum law_count)i;
	return 0;
}

struct law *law_new(const char *model, const char *name, enum law_path path,
                    enum law_count count)
{
	struct law *L = calloc(1, sizeof *L);

	if (L == NULL)
		return NULL;
	L->model = strdup(model ? model : "");
	L->name = strdup(name ? name : "");
	if (L->model == NULL || L->name == NULL) {
		law_free(L);
		return NULL;
	}
	L->path = path;
	L->count = count;
	L->fitted = 1;
	L->elim = -1;
	return L;
}

void law_free(struct law *L)
{
	if (L == NULL)
		return;
	free(L->model);
	free(L->name);
	free(L->loss_src);
	free(L->flops_src);
	free(L->baseline);
	free(L->note);
	free(L->variant);
	lawfit_info_free(L->fit);
	for (size_t i = 0; i < L->n_coef; i++)
		free(L->coef_name[i]);
	for (size_t i = 0; i < L->n_derived; i++) {
		free(L->derived_name[i]);
		free(L->derived_src[i]);
		if (L->derived_ev[i])
			evaluator_destroy(L->derived_ev[i]);
	}
	for (size_t i = 0; i < L->n_vars; i++) {
		free(L->vars[i].name);
		free(L->vars[i].values);
	}
	if (L->loss_ev)
		evaluator_destroy(L->loss_ev);
	if (L->flops_ev)
		evaluator_destroy(L->flops_ev);
	if (L->dflops_ev)
		evaluator_destroy(L->dflops_ev);
	free(L);
}

/* ---- symbols ------------------------------------------------------------ */

static int derived_index(const struct law *L, const char *name)
{
	for (size_t i = 0; i < L->n_derived; i++)
		if (strcmp(L->derived_name[i], name) == 0)
			return (int)i;
	return -1;
}

int law_var_index(const struct law *L, const char *name)
{
	for (size_t i = 0; i < L->n_vars; i++)
		if (strcmp(L->vars[i].name, name) == 0)
			return (int)i;
	return -1;
}

int law_role_index(const struct law *L, enum law_role r)
{
	for (size_t i = 0; i < L->n_vars; i++)
		if (L->vars[i].role == r)
			return (int)i;
	return -1;
}

int law_coef_index(const struct law *L, const char *name)
{
	for (size_t i = 0; i < L->n_coef; i++)
		if (strcmp(L->coef_name[i], name) == 0)
			return (int)i;
	return -1;
}

/* A new symbol name: an identifier, not reserved, not yet declared.  An
 * error about the name is about the symbol (kind: what it is declared as). */
static int check_new_name(const struct law *L, enum mp_what kind,
                          const char *name, struct mp_error *err)
{
	if (!(isalpha((unsigned char)name[0]) || name[0] == '_')) {
		mp_error_set(err, "'%s' is not a valid name (letters, digits and "
		             "'_', starting with a letter)", name);
		return mp_error_what(err, kind, name);
	}
	for (const char *p = name; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_')) {
			mp_error_set(err, "'%s' is not a valid name (letters, digits "
			             "and '_', starting with a letter)", name);
			return mp_error_what(err, kind, name);
		}
	for (const char *const *r = reserved; *r; r++)
		if (strcmp(name, *r) == 0) {
			mp_error_set(err, "'%s' is reserved in expressions and cannot "
			             "name a symbol", name);
			return mp_error_what(err, kind, name);
		}
	if (law_coef_index(L, name) >= 0 || law_var_index(L, name) >= 0 ||
	    derived_index(L, name) >= 0) {
		mp_error_set(err, "'%s' is declared twice", name);
		return mp_error_what(err, kind, name);
	}
	if (L->n_coef + L->n_derived + L->n_vars >= LAW_MAX_SYMS)
		return mp_error_set(err, "too many symbols (at most %d)", LAW_MAX_SYMS);
	if (L->sealed)
		return mp_error_set(err, "law is already sealed");
	return 0;
}

int law_add_coefficient(struct law *L, const char *name, double value,
                        struct mp_error *err)
{
	if (check_new_name(L, MP_WHAT_COEFFICIENT, name, err) != 0)
		return -1;
	if (isinf(value)) {
		mp_error_set(err, "coefficient '%s' is not finite", name);
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	if ((L->coef_name[L->n_coef] = strdup(name)) == NULL)
		return mp_error_set(err, "out of memory");
	L->coef_value[L->n_coef++] = value;
	if (isnan(value))
		L->fitted = 0;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int law_add_variable(struct law *L, const struct law_var *v,
                     struct mp_error *err)
{
	struct law_var *dst;

	if (check_new_name(L, MP_WHAT_VARIABLE, v->name, err) != 0)
		return -1;
	if (L->n_vars == LAW_MAX_VARS)
		return mp_error_set(err, "too many variables (at most %d)",
		                    LAW_MAX_VARS);
	if ((unsigned)v->role >= ROLE_COUNT) {
		mp_error_set(err, "variable '%s' has no valid role", v->name);
		return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
	}
	if (!isnan(v->fit_lo) || !isnan(v->fit_hi)) {
		if (!isfinite(v->fit_lo) || !isfinite(v->fit_hi) || v->fit_lo < 0 ||
		    v->fit_lo >= v->fit_hi) {
			mp_error_set(err, "variable '%s': fit range [%g, %g] must have "
			             "0 <= lo < hi", v->name, v->fit_lo, v->fit_hi);
			return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
		}
	}
	for (size_t i = 0; i < v->n_values; i++) {
		double x = v->values[i];

		/* a sparsity S = (E - K) / E lies in [0, 1): S = 0 is dense
		 * (Abnar et al. 2025's grid starts there) */
		if (v->role == ROLE_SPARSITY && !(x >= 0 && x < 1)) {
			mp_error_set(err, "variable '%s': sparsity %g must be in "
			             "[0, 1)", v->name, x);
			return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
		}
		if (v->role != ROLE_SPARSITY && (!isfinite(x) || x <= 0)) {
			mp_error_set(err, "variable '%s': value %g must be a positive "
			             "number", v->name, x);
			return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
		}
	}
	dst = &L->vars[L->n_vars];
	memset(dst, 0, sizeof *dst);
	dst->name = strdup(v->name);
	if (dst->name == NULL)
		return mp_error_set(err, "out of memory");
	if (v->n_values > 0) {
		dst->values = malloc(v->n_values * sizeof *dst->values);
		if (dst->values == NULL) {
			free(dst->name);
			return mp_error_set(err, "out of memory");
		}
		memcpy(dst->values, v->values, v->n_values * sizeof *dst->values);
		qsort(dst->values, v->n_values, sizeof *dst->values, cmp_double);
		for (size_t i = 1; i < v->n_values; i++)
			if (dst->values[i] == dst->values[i - 1]) {
				free(dst->values);
				free(dst->name);
				mp_error_set(err, "variable '%s': value %g listed twice",
				             v->name, v->values[i]);
				return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
			}
	}
	dst->n_values = v->n_values;
	dst->role = v->role;
	dst->fit_lo = v->fit_lo;
	dst->fit_hi = v->fit_hi;
	L->n_vars++;
	return 0;
}

int law_add_derived(struct law *L, const char *name, struct mp_error *err)
{
	if (check_new_name(L, MP_WHAT_DERIVED, name, err) != 0)
		return -1;
	if ((L->derived_name[L->n_derived] = strdup(name)) == NULL)
		return mp_error_set(err, "out of memory");
	L->derived_src[L->n_derived] = NULL;
	L->derived_ev[L->n_derived] = NULL;
	L->n_derived++;
	return 0;
}

/* ---- expressions ------------------------------------------------------- */

/*
 * Rewrite log10(u) (or log10 (u)) as (0.434...*log(u)), the one function
 * libmatheval lacks.
 * Returns a malloc'd string, or NULL on allocation failure or when a
 * log10( has no closing parenthesis (the parser then reports the error).
 */
static char *rewrite_log10(const char *src)
{
	static const char from[] = "log10(";
	static const char to[] = "(0.43429448190325182765*log(";
	size_t n = strlen(src), cap = n + 1, len = 0;
	char *out = malloc(cap), *tmp;
	int closers[64], depth = 0, open = 0;  /* depth at which to add ')' */

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int ident_before = i > 0 && (isalnum((unsigned char)src[i - 1]) ||
		                             src[i - 1] == '_');
		const char *piece = NULL;
		char one[2] = { src[i], 0 };
		size_t plen, blanks = 0;

		if (!ident_before && strncmp(src + i, from, sizeof from - 2) == 0)
			blanks = strspn(src + i + sizeof from - 2, " \t");
		if (!ident_before && strncmp(src + i, from, sizeof from - 2) == 0 &&
		    src[i + sizeof from - 2 + blanks] == '(' && open < 64) {
			piece = to;     /* "log10", blanks, "(" */
			i += sizeof from - 2 + blanks;
			depth++;
			closers[open++] = depth;
		} else if (src[i] == '(') {
			depth++;
			piece = one;
		} else if (src[i] == ')') {
			piece = open > 0 && closers[open - 1] == depth ? "))" : one;
			if (piece[1] == ')')
				open--;
			depth--;
		} else {
			piece = one;
		}
		plen = strlen(piece);
		if (len + plen + 1 > cap) {
			cap = 2 * cap + plen;
			if ((tmp = realloc(out, cap)) == NULL) {
				free(out);
				return NULL;
			}
			out = tmp;
		}
		memcpy(out + len, piece, plen);
		len += plen;
	}
	out[len] = '\0';
	return out;
}

/* ---- syntax check --------------------------------------------------------
 *
 * libmatheval must only ever see an expression it can parse: on a syntax
 * error it leaks its parse tree and its scanner echoes characters it does
 * not know to stdout; a long chain (1+1+...+1) or deep nesting makes its
 * recursive tree walks overflow the stack.  So each expression is first
 * checked against libmatheval's grammar (parser.y: precedence resolves
 * every ambiguity, so the strings it accepts are exactly)
 *
 *     expr    := operand (('+' | '-' | '*' | '/' | '^') operand)*
 *     operand := '-'* (NUMBER | CONSTANT | VARIABLE
 *                      | FUNCTION '(' expr ')' | '(' expr ')')
 *
 * with its tokens (scanner.l): NUMBER ({d}+ | {d}+.{d}* | {d}*.{d}+) with an
 * optional exponent, names [_a-zA-Z][_a-zA-Z0-9]*, blanks and tabs between
 * tokens.  Stricter than libmatheval in three ways: bounded length and
 * depth, finite number literals, and no '[' in names (a typo in its
 * scanner) nor the constants that start with a digit (1_pi, 2_pi,
 * 2_sqrtpi).
 */

struct syntax {
	const char *s;     /* the text */
	size_t i;          /* position */
	const char *why;   /* what went wrong (static), NULL if nothing */
};

static void skip_blanks(struct syntax *x)
{
	while (x->s[x->i] == ' ' || x->s[x->i] == '\t')
		x->i++;
}

/* Index in reserved[] of the name of length n at s, or -1. */
static int reserved_index(const char *s, size_t n)
{
	for (int k = 0; reserved[k] != NULL; k++)
		if (strlen(reserved[k]) == n && strncmp(s, reserved[k], n) == 0)
			return k;
	return -1;
}

/* A number literal as libmatheval's scanner reads it; must be finite. */
static int syntax_number(struct syntax *x)
{
	const char *p = x->s + x->i, *q = p;
	char buf[64];
	size_t n;

	while (isdigit((unsigned char)*q))
		q++;
	if (*q == '.')
		for (q++; isdigit((unsigned char)*q); q++)
			;
	if (q == p + 1 && *p == '.') {
		x->why = "a '.' without digits";
		return -1;
	}
	if ((*q == 'e' || *q == 'E') &&
	    (isdigit((unsigned char)q[1]) ||
	     ((q[1] == '+' || q[1] == '-') && isdigit((unsigned char)q[2])))) {
		q += 2;
		while (isdigit((unsigned char)*q))
			q++;
	}
	n = (size_t)(q - p);
	if (n >= sizeof buf) {
		x->why = "a number literal longer than 63 characters";
		return -1;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (!isfinite(strtod(buf, NULL))) {
		x->why = "a number literal out of range";
		return -1;
	}
	x->i += n;
	return 0;
}

static int syntax_expr(struct syntax *x, int depth);

static int syntax_operand(struct syntax *x, int depth)
{
	char c;

	skip_blanks(x);
	while (x->s[x->i] == '-') {           /* unary minus nests */
		if (++depth > LAW_EXPR_DEPTH) {
			x->why = "nested too deeply";
			return -1;
		}
		x->i++;
		skip_blanks(x);
	}
	c = x->s[x->i];
	if (isdigit((unsigned char)c) || c == '.')
		return syntax_number(x);
	if (isalpha((unsigned char)c) || c == '_') {
		size_t start = x->i;
		int k;

		while (isalnum((unsigned char)x->s[x->i]) || x->s[x->i] == '_')
			x->i++;
		k = reserved_index(x->s + start, x->i - start);
		if (k < N_CONSTANTS)          /* a variable or a constant */
			return 0;
		skip_blanks(x);               /* a function: its argument */
		if (x->s[x->i] != '(') {
			x->why = "a function name without '('";
			return -1;
		}
		c = '(';
	}
	if (c != '(') {
		x->why = c == '\0' ? "an operand missing at the end"
		                   : "an operand expected";
		return -1;
	}
	if (depth + 1 > LAW_EXPR_DEPTH) {
		x->why = "nested too deeply";
		return -1;
	}
	x->i++;
	if (syntax_expr(x, depth + 1) != 0)
		return -1;
	if (x->s[x->i] != ')') {
		x->why = "a ')' missing";
		return -1;
	}
	x->i++;
	return 0;
}

/* An expression, up to the end of the text or a ')' (not consumed). */
static int syntax_expr(struct syntax *x, int depth)
{
	for (;;) {
		if (syntax_operand(x, depth) != 0)
			return -1;
		skip_blanks(x);
		if (x->s[x->i] == '\0' || x->s[x->i] == ')')
			return 0;
		if (strchr("+-*/^", x->s[x->i]) == NULL) {
			x->why = "an operator expected";
			return -1;
		}
		x->i++;
	}
}

/* 0 if libmatheval will parse src; else -1 with err "WHAT: ...". */
static int check_syntax(const char *what, const char *src,
                        struct mp_error *err)
{
	struct syntax x = { src, 0, NULL };
	size_t n = strlen(src);

	if (n > LAW_EXPR_MAX)
		return mp_error_set(err, "%s: expression too long (%zu bytes, at most "
		                    "%d)", what, n, LAW_EXPR_MAX);
	if (syntax_expr(&x, 0) == 0 && x.s[x.i] == ')')
		x.why = "a ')' without '('";
	if (x.why == NULL)
		return 0;
	if (strcmp(x.why, "nested too deeply") == 0)
		return mp_error_set(err, "%s: expression nested too deeply (more than "
		                    "%d parentheses or unary minus signs, at "
		                    "character %zu)", what, LAW_EXPR_DEPTH, x.i + 1);
	if (strncmp(x.why, "a number literal", 16) == 0)
		return mp_error_set(err, "%s: expression has %s (at character %zu)",
		                    what, x.why, x.i + 1);
	/* a plain syntax error: the message libmatheval's failure gave */
	return mp_error_set(err, "%s: cannot parse expression \"%.*s%s\"", what,
	                    n > 200 ? 200 : (int)n, src, n > 200 ? "..." : "");
}

/* Parse src; every symbol it uses must satisfy allowed(L, name, limit). */
static void *parse_expr(const struct law *L, const char *what, const char *src,
                        size_t derived_limit, struct mp_error *err)
{
	char *text, **names;
	void *ev;
	int count;

	if (src == NULL || strspn(src, " \t\r\n") == strlen(src)) {
		mp_error_set(err, "%s: empty expression", what);
		return NULL;
	}
	if (check_syntax(what, src, err) != 0)
		return NULL;
	if ((text = rewrite_log10(src)) == NULL) {
		mp_error_set(err, "%s: out of memory", what);
		return NULL;
	}
	ev = evaluator_create(text);
	free(text);
	if (ev == NULL) {
		mp_error_set(err, "%s: cannot parse expression \"%.200s\"", what, src);
		return NULL;
	}
	evaluator_get_variables(ev, &names, &count);
	for (int i = 0; i < count; i++) {
		int d = derived_index(L, names[i]);

		if (law_coef_index(L, names[i]) >= 0 ||
		    law_var_index(L, names[i]) >= 0 ||
		    (d >= 0 && (size_t)d < derived_limit))
			continue;
		if (d >= 0)
			mp_error_set(err, "%s: uses derived quantity '%s' before it is "
			             "defined (derived quantities may only use earlier "
			             "ones)", what, names[i]);
		else
			mp_error_set(err, "%s: undefined symbol '%s' (not a coefficient, "
			             "variable or derived quantity)", what, names[i]);
		evaluator_destroy(ev);
		return NULL;
	}
	return ev;
}

int law_set_derived_expr(struct law *L, size_t i, const char *expr,
                         struct mp_error *err)
{
	char what[96];
	void *ev;

	if (i >= L->n_derived)
		return mp_error_set(err, "no derived quantity #%zu", i);
	snprintf(what, sizeof what, "derived '%s'", L->derived_name[i]);
	if ((ev = parse_expr(L, what, expr, i, err)) == NULL)
		return mp_error_what(err, MP_WHAT_DERIVED, L->derived_name[i]);
	if ((L->derived_src[i] = strdup(expr)) == NULL) {
		evaluator_destroy(ev);
		return mp_error_set(err, "out of memory");
	}
	L->derived_ev[i] = ev;
	return 0;
}

int law_set_expr(struct law *L, enum law_expr which, const char *expr,
                 struct mp_error *err)
{
	const char *what = which == LAW_LOSS ? "loss" : "flops";
	enum mp_what subject = which == LAW_LOSS ? MP_WHAT_LOSS : MP_WHAT_FLOPS;
	char **src = which == LAW_LOSS ? &L->loss_src : &L->flops_src;
	void **ev = which == LAW_LOSS ? &L->loss_ev : &L->flops_ev;
	void *parsed;

	if (*ev != NULL) {
		mp_error_set(err, "%s: set twice", what);
		return mp_error_what(err, subject, NULL);
	}
	if ((parsed = parse_expr(L, what, expr, L->n_derived, err)) == NULL)
		return mp_error_what(err, subject, NULL);
	if ((*src = strdup(expr)) == NULL) {
		evaluator_destroy(parsed);
		return mp_error_set(err, "out of memory");
	}
	*ev = parsed;
	return 0;
}

static int set_string(char **field, const char *s, struct mp_error *err)
{
	char *copy = strdup(s);

	if (copy == NULL)
		return mp_error_set(err, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

int law_set_baseline(struct law *L, const char *law_name, struct mp_error *err)
{
	return set_string(&L->baseline, law_name, err);
}

int law_set_note(struct law *L, const char *note, struct mp_error *err)
{
	return set_string(&L->note, note, err);
}

/* ---- variants ----------------------------------------------------------- */

/* B's names into V: coefficients, variables, derived quantities. */
static int copy_symbols(struct law *V, const struct law *B,
                        struct mp_error *err)
{
	for (size_t i = 0; i < B->n_coef; i++)
		if (law_add_coefficient(V, B->coef_name[i], B->coef_value[i], err))
			return -1;
	for (size_t i = 0; i < B->n_vars; i++)
		if (law_add_variable(V, &B->vars[i], err) != 0)
			return -1;
	for (size_t i = 0; i < B->n_derived; i++)
		if (law_add_derived(V, B->derived_name[i], err) != 0)
			return -1;
	return 0;
}

static int build_variant(struct law *V, const struct law *B, const char *loss,
                         const char *flops, const char *const *derived,
                         struct mp_error *err)
{
	if (copy_symbols(V, B, err) != 0)
		return -1;
	for (size_t i = 0; i < B->n_derived; i++)
		if (law_set_derived_expr(V, i, derived && derived[i] ? derived[i]
		                         : B->derived_src[i], err) != 0)
			return -1;
	if (law_set_expr(V, LAW_LOSS, loss ? loss : B->loss_src, err) != 0 ||
	    law_set_expr(V, LAW_FLOPS, flops ? flops : B->flops_src, err) != 0)
		return -1;
	if ((B->baseline && law_set_baseline(V, B->baseline, err) != 0) ||
	    (B->note && law_set_note(V, B->note, err) != 0))
		return -1;
	return law_finish(V, err);
}

struct law *law_variant(const struct law *B, const char *variant,
                        const char *loss, const char *flops,
                        const char *const *derived, struct mp_error *err)
{
	struct law *V = law_new(B->model, B->name, B->path, B->count);

	if (V == NULL) {
		mp_error_set(err, "out of memory");
		return NULL;
	}
	if (set_string(&V->variant, variant, err) != 0 ||
	    build_variant(V, B, loss, flops, derived, err) != 0) {
		law_free(V);
		return NULL;
	}
	return V;
}

/* ---- sealing ------------------------------------------------------------ */

static int count_role(const struct law *L, enum law_role r)
{
	int n = 0;

	for (size_t i = 0; i < L->n_vars; i++)
		n += L->vars[i].role == r;
	return n;
}

/* Roles a path needs exactly once, and roles it must not have. */
static int check_roles(const struct law *L, struct mp_error *err)
{
	static const enum law_role need[PATH_COUNT][3] = {
		[PATH_DENSE] = { ROLE_PARAMS, ROLE_TOKENS, ROLE_PARAMS },
		[PATH_MOE] = { ROLE_PARAMS, ROLE_TOKENS, ROLE_PARAMS },
		[PATH_UPCYCLE] = { ROLE_PARAMS, ROLE_TOKENS_DENSE, ROLE_TOKENS_MOE },
	};
	const char *p = law_path_name(L->path);

	for (int r = 0; r < ROLE_COUNT; r++) {
		int want = 0, have = count_role(L, (enum law_role)r);

		for (int j = 0; j < 3; j++)
			want |= need[L->path][j] == (enum law_role)r;
		if (r >= ROLE_EXPERTS) {
			if (have > 1)
				return mp_error_set(err, "more than one variable has role "
				                    "'%s'", role_names[r]);
			continue;
		}
		if (want && have != 1)
			return mp_error_set(err, "a law for path '%s' needs exactly one "
			                    "variable with role '%s' (it has %d)", p,
			                    role_names[r], have);
		if (!want && have != 0) {
			/* about the first variable with the role */
			mp_error_set(err, "role '%s' does not fit path '%s'",
			             role_names[r], p);
			return mp_error_what(err, MP_WHAT_VARIABLE,
			                     L->vars[law_role_index(L, (enum law_role)r)]
			                     .name);
		}
	}
	for (size_t i = 0; i < L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];

		if (v->role >= ROLE_EXPERTS && v->n_values == 0) {
			mp_error_set(err, "variable '%s' (role %s) needs a list of "
			             "values to choose from", v->name,
			             role_names[v->role]);
			return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
		}
		if ((v->role == ROLE_TOKENS || v->role == ROLE_TOKENS_MOE) &&
		    v->n_values > 0) {
			mp_error_set(err, "variable '%s' (role %s) is set by the budget "
			             "and cannot have values", v->name,
			             role_names[v->role]);
			return mp_error_what(err, MP_WHAT_VARIABLE, v->name);
		}
	}
	return 0;
}

int law_finish(struct law *L, struct mp_error *err)
{
	size_t k = 0;

	if (L->loss_ev == NULL) {
		mp_error_set(err, "law '%s' has no loss expression", L->name);
		return mp_error_what(err, MP_WHAT_LOSS, NULL);
	}
	if (L->flops_ev == NULL) {
		mp_error_set(err, "law '%s' has no flops expression", L->name);
		return mp_error_what(err, MP_WHAT_FLOPS, NULL);
	}
	for (size_t i = 0; i < L->n_derived; i++)
		if (L->derived_ev[i] == NULL) {
			mp_error_set(err, "derived '%s' has no expression",
			             L->derived_name[i]);
			return mp_error_what(err, MP_WHAT_DERIVED, L->derived_name[i]);
		}
	if ((unsigned)L->path >= PATH_LAWS)
		return mp_error_set(err, "a law's path is dense, moe or upcycle");
	if (L->baseline != NULL && L->path != PATH_UPCYCLE)
		return mp_error_set(err, "only an upcycle law can name a baseline");
	if (check_roles(L, err) != 0)
		return -1;
	L->elim = law_role_index(L, L->path == PATH_UPCYCLE ? ROLE_TOKENS_MOE
	                                                     : ROLE_TOKENS);
	L->dflops_ev = evaluator_derivative(L->flops_ev, L->vars[L->elim].name);
	if (L->dflops_ev == NULL) {
		mp_error_set(err, "flops: cannot differentiate with respect to '%s'",
		             L->vars[L->elim].name);
		return mp_error_what(err, MP_WHAT_FLOPS, NULL);
	}
	for (size_t i = 0; i < L->n_coef; i++)
		L->sym[k++] = L->coef_name[i];
	for (size_t i = 0; i < L->n_derived; i++)
		L->sym[k++] = L->derived_name[i];
	for (size_t i = 0; i < L->n_vars; i++)
		L->sym[k++] = L->vars[i].name;
	L->n_sym = k;
	L->sealed = 1;
	return 0;
}

int law_check_fitted(const struct law *L, struct mp_error *err)
{
	char list[256] = "";
	size_t len = 0;

	if (L->fitted)
		return 0;
	for (size_t i = 0; i < L->n_coef; i++)
		if (isnan(L->coef_value[i]) && len + strlen(L->coef_name[i]) + 6 <
		    sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			                        len ? ", " : "", L->coef_name[i]);
	return mp_error_set(err, "law %s:%s is not fitted: coefficients %s have no "
	                    "values; fit them and add them to the model file",
	                    L->model, L->name, list);
}

/* ---- evaluation --------------------------------------------------------- */

/* Fill the value array (coefficients, derived, variables) at x. */
static void fill_values(const struct law *L, const double *x, double *val)
{
	size_t c = L->n_coef, d = L->n_derived;

	memcpy(val, L->coef_value, c * sizeof *val);
	for (size_t i = 0; i < d; i++)
		val[c + i] = 0;
	memcpy(val + c + d, x, L->n_vars * sizeof *val);
	for (size_t i = 0; i < d; i++)
		val[c + i] = evaluator_evaluate(L->derived_ev[i], (int)L->n_sym,
		                                (char **)L->sym, val);
}

static double eval(const struct law *L, void *ev, const double *x)
{
	double val[LAW_MAX_SYMS], y;

	if (!L->sealed || !L->fitted)
		return NAN;
	fill_values(L, x, val);
	y = evaluator_evaluate(ev, (int)L->n_sym, (char **)L->sym, val);
	return isfinite(y) ? y : NAN;
}

double law_loss(const struct law *L, const double *x)
{
	return eval(L, L->loss_ev, x);
}

double law_flops(const struct law *L, const double *x)
{
	return eval(L, L->flops_ev, x);
}

double law_dflops(const struct law *L, const double *x)
{
	return eval(L, L->dflops_ev, x);
}

double law_derived(const struct law *L, size_t i, const double *x)
{
	if (i >= L->n_derived)
		return NAN;
	return eval(L, L->derived_ev[i], x);
}

/* ---- the law inside its fit ranges --------------------------------------- */

/* Up to three points of variable v: its values (first, middle, last), else
 * its fit range (ends and geometric middle). */
static size_t range_points(const struct law_var *v, double pt[3])
{
	if (v->n_values > 0) {
		pt[0] = v->values[0];
		pt[1] = v->values[v->n_values / 2];
		pt[2] = v->values[v->n_values - 1];
		return v->n_values < 3 ? v->n_values : 3;
	}
	if (isnan(v->fit_lo))
		return 0;
	pt[0] = v->fit_lo;
	pt[1] = v->fit_hi;
	pt[2] = v->fit_lo > 0 ? exp(0.5 * (log(v->fit_lo) + log(v->fit_hi)))
	                      : 0.5 * (v->fit_lo + v->fit_hi);
	return 3;
}

/* "N=1e+08, D=1e+10" */
static void point_text(const struct law *L, const double *x, char *buf,
                       size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < L->n_vars && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s=%.4g",
		                        i ? ", " : "", L->vars[i].name, x[i]);
}

/* Evaluate without the non-finite -> NaN mapping of eval(): the raw value. */
static double eval_raw(const struct law *L, void *ev, const double *x)
{
	double val[LAW_MAX_SYMS];

	fill_values(L, x, val);
	return evaluator_evaluate(ev, (int)L->n_sym, (char **)L->sym, val);
}

/* The message for a point (where) with a bad loss, flops or derivative of
 * flops; returns which expression it is about. */
static enum mp_what range_error(const struct law *L, double loss,
                                double flops, double dflops,
                                const char *where, struct mp_error *err)
{
	if (!isfinite(loss)) {
		mp_error_set(err, "loss is %s at %s, inside the fit ranges",
		             isnan(loss) ? "undefined (not a number)" : "infinite",
		             where);
		return MP_WHAT_LOSS;
	}
	if (!(loss > 0)) {
		mp_error_set(err, "loss is %.4g at %s, inside the fit ranges (a loss "
		             "must be positive)", loss, where);
		return MP_WHAT_LOSS;
	}
	if (loss > LAW_MAX_LOSS) {
		mp_error_set(err, "loss is %.4g at %s, inside the fit ranges (a "
		             "cross-entropy in nats or bits is below %g: check the "
		             "coefficients)", loss, where, LAW_MAX_LOSS);
		return MP_WHAT_LOSS;
	}
	if (!isfinite(flops))
		mp_error_set(err, "flops is %s at %s, inside the fit ranges",
		             isnan(flops) ? "undefined (not a number)" : "infinite",
		             where);
	else if (!(flops > 0))
		mp_error_set(err, "flops is %.4g at %s, inside the fit ranges "
		             "(compute must be positive)", flops, where);
	else
		mp_error_set(err, "flops: its derivative in '%s' is %s at %s, inside "
		             "the fit ranges", L->vars[L->elim].name,
		             isnan(dflops) ? "undefined (not a number)" : "infinite",
		             where);
	return MP_WHAT_FLOPS;
}

int law_check_range(const struct law *L, struct mp_error *err)
{
	double pt[LAW_MAX_VARS][3], x[LAW_MAX_VARS] = { 0 };
	size_t n[LAW_MAX_VARS] = { 0 }, total = 1, nv = L->n_vars;
	char where[256];

	if (!L->sealed || !L->fitted || nv > LAW_MAX_VARS)
		return 0;
	for (size_t i = 0; i < nv; i++) {
		if ((n[i] = range_points(&L->vars[i], pt[i])) == 0)
			return 0;             /* no range to check */
		total *= n[i];
	}
	for (size_t k = 0; k < total; k++) {
		double loss, flops, dflops;
		size_t r = k;

		for (size_t i = 0; i < nv; i++) {
			x[i] = pt[i][r % n[i]];
			r /= n[i];
		}
		for (size_t d = 0; d < L->n_derived; d++) {
			double v = eval_raw(L, L->derived_ev[d], x);

			if (!isfinite(v)) {
				point_text(L, x, where, sizeof where);
				mp_error_set(err, "derived '%s' is %s at %s, inside the fit "
				             "ranges", L->derived_name[d],
				             isnan(v) ? "undefined (not a number)" : "infinite",
				             where);
				return mp_error_what(err, MP_WHAT_DERIVED, L->derived_name[d]);
			}
		}
		loss = eval_raw(L, L->loss_ev, x);
		flops = eval_raw(L, L->flops_ev, x);
		dflops = eval_raw(L, L->dflops_ev, x);
		if (isfinite(loss) && loss > 0 && loss <= LAW_MAX_LOSS &&
		    isfinite(flops) && flops > 0 && isfinite(dflops))
			continue;
		point_text(L, x, where, sizeof where);
		return mp_error_what(err, range_error(L, loss, flops, dflops, where,
		                                      err), NULL);
	}
	return 0;
}
