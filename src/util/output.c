/* output.c: table, CSV and JSON writers for command output. */
#include "config.h"

#include "util/output.h"
#include "util/sanitize.h"
#include "util/width.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

bool
out_format_parse(const char *s, enum out_format *out)
{
	if (strcmp(s, "table") == 0)
		*out = OUT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = OUT_JSON;
	else
		return false;
	return true;
}

static const char *
cell(const struct out_grid *g, int row, int col)
{
	return g->cells[row * g->ncols + col];
}

static char *
prepared(const char *s, bool sanitise)
{
	if (!s)
		return NULL;
	return sanitise ? sanitize_dup(s, SANITIZE_DEFAULT) : xstrdup(s);
}

int
out_table_width(const struct out_grid *g, int col)
{
	int width = text_width(g->cols[col].name);
	for (int r = 0; r < g->nrows; r++) {
		char *s = prepared(cell(g, r, col) ? cell(g, r, col) : "", true);
		char *fit = g->cols[col].max_width ? text_fit(s, g->cols[col].max_width) : xstrdup(s);
		if (text_width(fit) > width)
			width = text_width(fit);
		free(fit);
		free(s);
	}
	return width;
}

static void
write_table(FILE *f, const struct out_grid *g)
{
	int n = g->nrows * g->ncols;
	char **shown = xcalloc((size_t)n + 1, sizeof *shown);
	int *width = xcalloc((size_t)g->ncols, sizeof *width);
	for (int c = 0; c < g->ncols; c++)
		width[c] = text_width(g->cols[c].name);
	for (int i = 0; i < n; i++) {
		int c = i % g->ncols;
		char *s = prepared(g->cells[i] ? g->cells[i] : "", true);
		shown[i] = g->cols[c].max_width ? text_fit(s, g->cols[c].max_width) : xstrdup(s);
		free(s);
		int w = text_width(shown[i]);
		if (w > width[c])
			width[c] = w;
	}
	for (int c = 0; c < g->ncols; c++)
		fprintf(f, "%s%-*s", c ? "  " : "", c == g->ncols - 1 ? 0 : width[c], g->cols[c].name);
	fputc('\n', f);
	for (int i = 0; i < n; i++) {
		int c = i % g->ncols;
		int pad = c == g->ncols - 1 ? 0 : width[c] - text_width(shown[i]);
		fprintf(f, "%s%s%*s", c ? "  " : "", shown[i], pad, "");
		if (c == g->ncols - 1)
			fputc('\n', f);
		free(shown[i]);
	}
	free(shown);
	free(width);
}

static void
csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void
write_csv(FILE *f, const struct out_grid *g, bool sanitise)
{
	for (int c = 0; c < g->ncols; c++) {
		if (c)
			fputc(',', f);
		csv_field(f, g->cols[c].name);
	}
	fputs("\r\n", f);
	for (int r = 0; r < g->nrows; r++) {
		for (int c = 0; c < g->ncols; c++) {
			if (c)
				fputc(',', f);
			char *s = prepared(cell(g, r, c), sanitise);
			/* A spreadsheet would run text starting with = + - @ as a
			 * formula (CSV injection): such text gets a leading quote,
			 * which the spreadsheet shows as text.  Numbers stay numbers. */
			if (s && !g->cols[c].numeric && strchr("=+-@", s[0]) && s[0]) {
				char *q = xasprintf("'%s", s);
				free(s);
				s = q;
			}
			csv_field(f, s);
			free(s);
		}
		fputs("\r\n", f);
	}
}

void
out_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7F)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
write_json(FILE *f, const struct out_grid *g, bool sanitise)
{
	fputc('[', f);
	for (int r = 0; r < g->nrows; r++) {
		fputs(r ? ",\n {" : "\n {", f);
		for (int c = 0; c < g->ncols; c++) {
			if (c)
				fputs(", ", f);
			out_json_string(f, g->cols[c].name);
			fputs(": ", f);
			const char *v = cell(g, r, c);
			if (!v) {
				fputs("null", f);
			} else if (g->cols[c].numeric) {
				fputs(v, f);
			} else {
				char *s = prepared(v, sanitise);
				out_json_string(f, s);
				free(s);
			}
		}
		fputc('}', f);
	}
	fputs(g->nrows ? "\n]\n" : "]\n", f);
}

void
out_write(FILE *f, enum out_format fmt, const struct out_grid *g, bool sanitise)
{
	switch (fmt) {
	case OUT_TABLE:
		write_table(f, g);
		break;
	case OUT_CSV:
		write_csv(f, g, sanitise);
		break;
	case OUT_JSON:
		write_json(f, g, sanitise);
		break;
	}
}
