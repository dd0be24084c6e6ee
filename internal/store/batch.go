package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// anonymous turns the numbered parameters of a SQLite statement ($1, $2…, in that order)
// into "?": the driver looks each numbered name up in a list, as many times as there are
// parameters, which made binding a 600-parameter INSERT cost more than running it.
func anonymous(query string) string {
	var b strings.Builder
	b.Grow(len(query))
	for i := 0; i < len(query); i++ {
		if query[i] == '$' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9' {
			b.WriteByte('?')
			for i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9' {
				i++
			}
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

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

// execBatch runs "head VALUES (…), (…) tail" for every row, in multi-row statements: on
// PostgreSQL in chunks, so that thousands of rows cost tens of round trips; on SQLite as one
// prepared statement of a few hundred parameters run again and again (with anonymous
// parameters: see anonymous), the rest in one last statement. Every row has the same width.
func execBatch(ctx context.Context, tx *Tx, head, tail string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := 5000 / width // well under SQLite's and PostgreSQL's parameter limits
	if tx.engine == SQLite {
		per = max(1, 600/width)
	}
	var stmt *sql.Stmt
	args := make([]any, 0, per*width)
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for _, row := range rows[start:end] {
			args = append(args, row...)
		}
		query := head + " VALUES " + valuesList(end-start, width) + " " + tail
		if tx.engine != SQLite {
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			continue
		}
		query = anonymous(query)
		if end-start < per {
			if _, err := tx.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			continue
		}
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, query); err != nil {
				return err
			}
			defer stmt.Close()
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// valuesList is "($1, …, $width), (…)" for n rows.
func valuesList(n, width int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*width + j + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}
