package localstack

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses, registered as "sqlite"
)

// IndexIDs gives every collection of the embedded store an SQLite index that its lookups by
// _id can use. FerretDB v1.24 finds a document by _id with the filter
// `_ferretdb_sjson->'$._id' = ?`, but its own _id index is on `_ferretdb_sjson->"_id"`: the
// same value, yet another expression, so SQLite's planner does not use it and every lookup by
// _id scans the whole table (1.3 s at 50,000 versions instead of 0.1 ms). The index added here
// is on FerretDB's exact expression. FerretDB does not know it (it lists indexes from its own
// metadata) and drops it with the table. Call IndexIDs after the collections exist (after
// store.Open); it only adds what is missing, so calling it on every start is cheap.
func (m *Mongo) IndexIDs(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(m.dir, "*.sqlite"))
	if err != nil {
		return fmt.Errorf("index ids: %w", err)
	}
	var errs []error
	for _, f := range files {
		errs = append(errs, indexIDs(ctx, f))
	}
	return errors.Join(errs...)
}

func indexIDs(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("index ids of %s: %w", file, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("index ids of %s: %w", file, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("index ids of %s: %w", file, err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index ids of %s: %w", file, err)
	}
	for _, t := range tables {
		if strings.ContainsAny(t, `"'`) {
			continue // FerretDB names tables from [a-z0-9_]; anything else is not ours to touch
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s_oneko_id" ON "%s" (_ferretdb_sjson->'$._id')`, t, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index ids of table %s in %s: %w", t, file, err)
		}
	}
	return nil
}

// usesIDIndex reports whether SQLite answers a lookup by _id of table, as FerretDB writes it,
// from an index (for tests).
func usesIDIndex(ctx context.Context, file, table string) (bool, error) {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return false, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "%s" WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return false, err
		}
		if strings.Contains(detail, "USING INDEX") {
			return true, nil
		}
	}
	return false, rows.Err()
}

func openRO(file string) (*sql.DB, error) { return sql.Open("sqlite", "file:"+file+"?mode=ro") }
