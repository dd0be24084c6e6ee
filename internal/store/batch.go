package store

import (
	"context"
	"fmt"
	"strings"
)

// execBatch runs "head VALUES (…) tail" for every row. On PostgreSQL the rows go in chunks of
// multi-row statements, so that thousands of rows cost tens of round trips; SQLite has no
// round trips but parses large statements slowly, so there one prepared statement runs per
// row. Every row has the same width.
func execBatch(ctx context.Context, tx *Tx, head, tail string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	if tx.engine == SQLite {
		ph := make([]string, width)
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		stmt, err := tx.PrepareContext(ctx, head+" VALUES ("+strings.Join(ph, ", ")+") "+tail)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, row := range rows {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				return err
			}
		}
		return nil
	}
	per := 5000 / width // well under SQLite's and PostgreSQL's parameter limits
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, (end-start)*width)
		for i, row := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", len(args)+j+1)
			}
			b.WriteByte(')')
			args = append(args, row...)
		}
		b.WriteString(" ")
		b.WriteString(tail)
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
