/*
 * datadir.h — where moeplan's data directories are: "models" (the model
 * files) and "hardware" (datasheet profiles).
 *
 * Search order for SUB, first existing directory wins:
 *   1. the command line's override (--models-dir DIR), if given: only it;
 *   2. $MOEPLAN_DATADIR/SUB, then $MOEPLAN_DATADIR/share/SUB;
 *   3. MOEPLAN_PKGDATADIR/SUB (the installed location, set at build time);
 *   4. MOEPLAN_SRCDIR/SUB, then MOEPLAN_SRCDIR/share/SUB (the source tree,
 *      so that an uninstalled build runs).
 * The error names every place tried.  The returned path is malloc'd.
 */
#ifndef MP_DATADIR_H
#define MP_DATADIR_H

#include "core/error.h"

/* The directory for sub ("models", "hardware"); NULL with err on failure. */
char *datadir_find(const char *sub, const char *override, struct mp_error *err);

#endif
