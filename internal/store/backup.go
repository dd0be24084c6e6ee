package store

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Backup and restore (issue 16). A backup is a gzip'd tar of one JSON-lines file per table
// (tables/NAME.jsonl: one JSON array of values a row, in the manifest's column order) and,
// last, manifest.json: the format, the schema versions applied, and each table's columns,
// rows and SHA-256. It is engine-neutral, so an archive of the embedded SQLite loads into
// PostgreSQL and back. The tables are those of the database's own catalog, so tables that
// later migrations add are carried without a list to keep.

// BackupFormat names the archive format in its manifest.
const BackupFormat = "ntm-backup/1"

// Manifest describes a backup archive.
type Manifest struct {
	Format         string        `json:"format"`
	CreatedAt      time.Time     `json:"created_at"`
	Engine         Engine        `json:"engine"`
	SchemaVersions []int         `json:"schema_versions"` // migrations applied in the source
	Tables         []BackupTable `json:"tables"`
}

// BackupTable is one table of an archive.
type BackupTable struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"`
}

// SchemaVersion is the highest migration applied in the source.
func (m Manifest) SchemaVersion() int {
	if len(m.SchemaVersions) == 0 {
		return 0
	}
	return slices.Max(m.SchemaVersions)
}

// backupError is the fault of an archive restore refuses: damaged, newer than this program,
// or a target that already holds data. It is the user's to act on (exit status 3).
func backupError(format string, args ...any) *fault.Error {
	return fault.Newf(fault.InvalidValue, format, args...)
}

// Tables that are bookkeeping, not data: the applied migrations are the manifest's schema
// versions, and data_versions holds counters that migrations seed.
func bookkeeping(name string) bool { return name == "schema_migrations" }
func seeded(name string) bool      { return name == "data_versions" }

// tables lists the database's tables from its catalog, parents before the tables whose
// foreign keys point at them.
func (tx *Tx) tables(ctx context.Context) ([]string, error) {
	var q string
	if tx.engine == Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	}
	names, err := queryStrings(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for _, n := range names {
		if tx.engine == Postgres {
			q = `SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc
				JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
				WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = $1`
		} else {
			q = `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`
		}
		if deps[n], err = queryStrings(ctx, tx, q, n); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", n, err)
		}
	}
	var out []string
	done := map[string]bool{}
	var visit func(n string, path []string) error
	visit = func(n string, path []string) error {
		if done[n] {
			return nil
		}
		if slices.Contains(path, n) {
			return fmt.Errorf("tables refer to each other in a cycle: %s", strings.Join(append(path, n), " → "))
		}
		for _, d := range deps[n] {
			if d != n && slices.Contains(names, d) {
				if err := visit(d, append(path, n)); err != nil {
					return err
				}
			}
		}
		done[n] = true
		out = append(out, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func queryStrings(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	return queryRows(ctx, tx, func(row interface{ Scan(...any) error }) (string, error) {
		var s string
		err := row.Scan(&s)
		return s, err
	}, q, args...)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Backup writes a consistent copy of the whole database to w while it serves: every table is
// read in one read-only transaction (PostgreSQL: REPEATABLE READ, one snapshot; SQLite: one
// read transaction of the write-ahead log, which sees the database as of its first read).
func (db *DB) Backup(ctx context.Context, w io.Writer) (Manifest, error) {
	m := Manifest{Format: BackupFormat, CreatedAt: time.Now().UTC(), Engine: db.engine}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	opts := &sql.TxOptions{ReadOnly: db.engine == Postgres}
	if db.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	sqlTx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return m, err
	}
	defer sqlTx.Rollback()
	tx := &Tx{Tx: sqlTx, engine: db.engine}
	vs, err := queryStrings(ctx, tx, `SELECT CAST(version AS TEXT) FROM schema_migrations ORDER BY version`)
	if err != nil {
		return m, fmt.Errorf("backup: schema versions: %w", err)
	}
	for _, v := range vs {
		n, _ := strconv.Atoi(v)
		m.SchemaVersions = append(m.SchemaVersions, n)
	}
	names, err := tx.tables(ctx)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	var buf strings.Builder
	for _, name := range names {
		if bookkeeping(name) {
			continue
		}
		t, err := dumpTable(ctx, tx, name, &buf)
		if err != nil {
			return m, fmt.Errorf("backup: table %s: %w", name, err)
		}
		if err := tarFile(tw, "tables/"+name+".jsonl", []byte(buf.String()), m.CreatedAt); err != nil {
			return m, err
		}
		buf.Reset()
		m.Tables = append(m.Tables, t)
	}
	mj, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return m, err
	}
	if err := tarFile(tw, "manifest.json", mj, m.CreatedAt); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, err
	}
	return m, gz.Close()
}

func tarFile(tw *tar.Writer, name string, b []byte, at time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: at, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

// dumpTable writes a table's rows as JSON lines, ordered by its first column.
func dumpTable(ctx context.Context, tx *Tx, name string, out *strings.Builder) (BackupTable, error) {
	t := BackupTable{Name: name}
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+quoteIdent(name)+` ORDER BY 1`)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	if t.Columns, err = rows.Columns(); err != nil {
		return t, err
	}
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	line := make([]any, len(vals))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return t, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				line[i] = map[string]string{"b64": base64.StdEncoding.EncodeToString(x)}
			case time.Time:
				line[i] = x.UTC().Format(time.RFC3339Nano)
			default:
				line[i] = x
			}
		}
		b, err := json.Marshal(line)
		if err != nil {
			return t, err
		}
		b = append(b, '\n')
		h.Write(b)
		out.Write(b)
		t.Rows++
	}
	t.SHA256 = hex.EncodeToString(h.Sum(nil))
	return t, rows.Err()
}

// ReadManifest checks an archive from end to end — gzip, tar, every table against the
// manifest's checksum and row count — and returns its manifest.
func ReadManifest(r io.Reader) (Manifest, error) {
	var m Manifest
	sums := map[string]string{}
	lines := map[string]int64{}
	err := walkArchive(r, func(name string, body io.Reader) error {
		if name == "manifest.json" {
			b, err := io.ReadAll(io.LimitReader(body, 16<<20))
			if err != nil {
				return err
			}
			return json.Unmarshal(b, &m)
		}
		h := sha256.New()
		br := bufio.NewReader(io.TeeReader(body, h))
		var n int64
		for {
			_, err := br.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			n++
		}
		sums[name], lines[name] = hex.EncodeToString(h.Sum(nil)), n
		return nil
	})
	if err != nil {
		return m, backupError("tệp sao lưu bị hỏng (damaged archive): %v", err)
	}
	if m.Format != BackupFormat {
		return m, backupError("không phải tệp sao lưu của ntm (not an ntm backup: format %q)", m.Format)
	}
	for _, t := range m.Tables {
		file := "tables/" + t.Name + ".jsonl"
		sum, ok := sums[file]
		switch {
		case !ok:
			return m, backupError("tệp sao lưu thiếu bảng %s (archive lacks table %s)", t.Name, t.Name)
		case sum != t.SHA256 || lines[file] != t.Rows:
			return m, backupError("bảng %s trong tệp sao lưu sai tổng kiểm SHA-256 (table %s fails its checksum: damaged archive)", t.Name, t.Name)
		}
		delete(sums, file)
	}
	for f := range sums {
		return m, backupError("tệp sao lưu có %s không ghi trong manifest (archive holds %s, not in its manifest)", f, f)
	}
	return m, nil
}

func walkArchive(r io.Reader, fn func(name string, body io.Reader) error) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			// Read the gzip stream to its end, where its CRC is checked.
			_, err := io.Copy(io.Discard, gz)
			return err
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := fn(h.Name, tr); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
	}
}

// RestoreOptions says how to restore.
type RestoreOptions struct {
	Force bool // replace what the target holds
}

// Restore loads an archive into the database, all or nothing: open is called twice (the
// archive is checked first, then loaded). It refuses an archive whose schema has migrations
// this program does not know, a damaged archive, and a target that holds data unless
// opts.Force. The database must be migrated (Open + Migrate).
func (db *DB) Restore(ctx context.Context, open func() (io.ReadCloser, error), opts RestoreOptions) (Manifest, error) {
	f, err := open()
	if err != nil {
		return Manifest{}, err
	}
	m, err := ReadManifest(f)
	f.Close()
	if err != nil {
		return m, err
	}
	known, err := migrations()
	if err != nil {
		return m, err
	}
	for _, v := range m.SchemaVersions {
		if !slices.ContainsFunc(known, func(k migration) bool { return k.version == v }) {
			return m, backupError("tệp sao lưu có lược đồ mới hơn chương trình này (migration %03d không có); hãy cập nhật ntm trước khi khôi phục (the archive's schema is newer than this program)", v)
		}
	}
	byName := map[string]BackupTable{}
	for _, t := range m.Tables {
		byName[t.Name] = t
	}
	err = db.Write(ctx, func(tx *Tx) error {
		names, err := tx.tables(ctx)
		if err != nil {
			return err
		}
		for _, t := range m.Tables {
			if !slices.Contains(names, t.Name) {
				return backupError("bảng %s của tệp sao lưu không có trong cơ sở dữ liệu đích (table %s unknown to the target)", t.Name, t.Name)
			}
		}
		var busy []string
		for _, n := range names {
			if bookkeeping(n) || seeded(n) {
				continue
			}
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+quoteIdent(n)+` LIMIT 1`).Scan(&one)
			if err == nil {
				busy = append(busy, n)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if len(busy) > 0 && !opts.Force {
			return backupError("cơ sở dữ liệu đích đã có dữ liệu (bảng %s); dùng --force để thay thế (the target holds data; use --force to replace it)", strings.Join(busy, ", "))
		}
		for i := len(names) - 1; i >= 0; i-- {
			if n := names[i]; !bookkeeping(n) && (slices.Contains(busy, n) || seeded(n) && byName[n].Name != "") {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(n)); err != nil {
					return fmt.Errorf("empty %s: %w", n, err)
				}
			}
		}
		r, err := open()
		if err != nil {
			return err
		}
		defer r.Close()
		// Load in the catalog's order (parents first): tables are read from the archive
		// into memory one at a time in archive order, which Backup wrote in that order.
		err = walkArchive(r, func(name string, body io.Reader) error {
			table, ok := strings.CutPrefix(name, "tables/")
			if !ok {
				return nil
			}
			t := byName[strings.TrimSuffix(table, ".jsonl")]
			return loadTable(ctx, tx, t, body)
		})
		if err != nil {
			return err
		}
		return tx.resetSequences(ctx, names)
	})
	return m, err
}

// columnKinds gives each column's storage: "int", "float", "bool", "blob" or "text".
func (tx *Tx) columnKinds(ctx context.Context, table string) (map[string]string, error) {
	var q string
	if tx.engine == Postgres {
		q = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`
	} else {
		q = `SELECT name, type FROM pragma_table_info($1)`
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		typ = strings.ToLower(typ)
		switch {
		case typ == "boolean":
			out[name] = "bool"
		case strings.Contains(typ, "int"):
			out[name] = "int"
		case strings.Contains(typ, "real") || strings.Contains(typ, "double") || strings.Contains(typ, "numeric"):
			out[name] = "float"
		case strings.Contains(typ, "blob") || typ == "bytea":
			out[name] = "blob"
		default:
			out[name] = "text"
		}
	}
	return out, rows.Err()
}

func loadTable(ctx context.Context, tx *Tx, t BackupTable, body io.Reader) error {
	kinds, err := tx.columnKinds(ctx, t.Name)
	if err != nil {
		return err
	}
	cols := make([]string, len(t.Columns))
	marks := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		if _, ok := kinds[c]; !ok {
			return backupError("cột %s.%s của tệp sao lưu không có trong cơ sở dữ liệu đích (column %s.%s unknown to the target)", t.Name, c, t.Name, c)
		}
		cols[i], marks[i] = quoteIdent(c), "$"+strconv.Itoa(i+1)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+quoteIdent(t.Name)+` (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	dec := json.NewDecoder(body)
	dec.UseNumber()
	args := make([]any, len(t.Columns))
	for row := int64(1); ; row++ {
		var vals []any
		if err := dec.Decode(&vals); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("row %d: %w", row, err)
		}
		if len(vals) != len(t.Columns) {
			return backupError("bảng %s, dòng %d: %d giá trị cho %d cột (table %s row %d: wrong number of values)", t.Name, row, len(vals), len(t.Columns), t.Name, row)
		}
		for i, v := range vals {
			if args[i], err = restoreValue(v, kinds[t.Columns[i]]); err != nil {
				return backupError("bảng %s, dòng %d, cột %s: %v", t.Name, row, t.Columns[i], err)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("table %s row %d: %w", t.Name, row, err)
		}
	}
}

// restoreValue turns a value read from an archive into what the target column takes.
func restoreValue(v any, kind string) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		s, ok := x["b64"].(string)
		if !ok {
			return nil, errors.New("unknown value")
		}
		return base64.StdEncoding.DecodeString(s)
	case bool:
		if kind == "int" {
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return x, nil
	case json.Number:
		switch kind {
		case "bool":
			return x.String() != "0", nil
		case "text":
			return x.String(), nil
		case "float":
			return x.Float64()
		}
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		return x.Float64()
	case string:
		return x, nil
	}
	return nil, fmt.Errorf("unknown value %v", v)
}

// resetSequences moves PostgreSQL's identity sequences past the ids restored (SQLite's
// AUTOINCREMENT follows inserted ids by itself).
func (tx *Tx) resetSequences(ctx context.Context, names []string) error {
	if tx.engine != Postgres {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	var ids [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, [2]string{t, c})
	}
	rows.Close()
	for _, id := range ids {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(MAX(%s), 0) + 1, false) FROM %s`,
			strings.ReplaceAll(quoteIdent(id[0]), "'", "''"), id[1], quoteIdent(id[1]), quoteIdent(id[0]))
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sequence of %s: %w", id[0], err)
		}
	}
	return nil
}
