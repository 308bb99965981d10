/* output.h: rows as an aligned table, CSV (RFC 4180) or JSON. */
#ifndef LOKET_CLI_OUTPUT_H
#define LOKET_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

enum out_format {
	OUT_TABLE,
	OUT_CSV,
	OUT_JSON,
};

/* Parse "table", "csv" or "json". */
bool out_format_parse(const char *s, enum out_format *out);

struct out_column {
	const char *name;
	bool numeric;  /* JSON number instead of string */
	int max_width; /* table only: cut longer cells; 0 = no limit */
};

struct out_grid {
	const struct out_column *cols;
	int ncols;
	int nrows;
	const char *const *cells; /* nrows * ncols, row-major; NULL = no value */
};

/* Write the grid.  Text is sanitised in table format always, and in CSV and
 * JSON when sanitise is true (the CLI sets it when stdout is a terminal). */
void out_write(FILE *f, enum out_format fmt, const struct out_grid *g, bool sanitise);
/* The display width of column col in the table format (its header and
 * its cells as write would show them). */
int out_table_width(const struct out_grid *g, int col);
/* Append s as a JSON string literal (quotes included). */
void out_json_string(FILE *f, const char *s);

#endif
