package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows writes rows into table with PostgreSQL's COPY, in tx, each with the values of
// columns in that order. COPY sends the rows as one stream, without a
// statement to parse or a round trip per batch; it cannot update, so the rows must be new.
func copyRows(ctx context.Context, tx *Tx, table string, columns []string, rows pgx.CopyFromSource) error {
	if tx.conn == nil {
		return errors.New("copy: not a PostgreSQL write transaction")
	}
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: the connection is a %T, not pgx's", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, rows)
		return err
	})
}

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
