/*
 * units.h — numbers with SI suffixes and budget units.
 *
 * Parsing accepts what people type: "1e22", "3.2e+21", "2.5k", "1.4T",
 * "70B", "300M", "2,000", "$300k", "300k usd", "2000 h100-hours".  Suffixes
 * are decimal (k=1e3, M=1e6, B or G=1e9, T=1e12, P=1e15, E=1e18).  Results
 * are finite doubles; anything else is an error naming the text.
 * Formatting gives short human forms (1.3B, 2.1T, 3.4e21).  No allocation.
 */
#ifndef MP_UNITS_H
#define MP_UNITS_H

#include <stddef.h>

#include "error.h"

enum budget_unit { UNIT_NONE = 0, UNIT_FLOPS, UNIT_HOURS, UNIT_USD };

/* A plain number with an optional SI suffix ("1.4T", "2,000", "1e18"). */
int units_parse_number(const char *s, double *out, struct mp_error *err);

/*
 * A budget: a number, optionally with a unit written in it ("$300k",
 * "300k usd", "2.5k hours", "2000 h100-hours", "1e22 flops").  *unit is
 * UNIT_NONE when the text names none.  Budgets must be positive.
 */
int units_parse_budget(const char *s, double *value, enum budget_unit *unit,
                       struct mp_error *err);
int units_parse_unit(const char *s, enum budget_unit *unit, struct mp_error *err);
const char *units_unit_name(enum budget_unit u);

/*
 * The one conversion between a budget as the user gives it and as the
 * solver spends it (plan.h): FLOPs stay FLOPs; device-hours and dollars
 * become device-seconds (hours x 3600, usd / price x 3600).  Both return
 * NAN where it cannot be done (usd without a positive price).
 * units_budget_scale is user units per solver unit (1, 1/3600,
 * price/3600).
 */
double units_budget_scale(enum budget_unit u, double price);
double units_budget_to_solver(enum budget_unit u, double value, double price);
double units_budget_from_solver(enum budget_unit u, double budget,
                                double price);

/* Counts with SI suffix, 2 significant decimals: 1.3B, 70M, 2.1T, 950. */
const char *units_fmt_count(double v, char *buf, size_t n);
/* FLOPs in scientific notation: 3.4e21. */
const char *units_fmt_sci(double v, char *buf, size_t n);
/* Money: $1.2M, $300k, $950. */
const char *units_fmt_usd(double v, char *buf, size_t n);
/* Duration in hours: 1.5k h, 12.0 h. */
const char *units_fmt_hours(double v, char *buf, size_t n);

#endif
