package migrate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	bunmigrate "github.com/uptrace/bun/migrate"
)

// script is one discovered migration, ready to run.
type script struct {
	// id is the numeric prefix of the file name; bun records it as the
	// migration's name in TableName.
	id string
	// comment is the rest of the name ("create_providers").
	comment string
	// file is the path of the up file inside the source FS.
	file string
	// statements are the up file's statements, split on "--bun:split".
	statements []string
}

// name is the migration's file stem, "<id>_<comment>".
func (s script) name() string { return s.id + "_" + s.comment }

// idLen is the length of a migration ID: a UTC timestamp, 20060102150405.
const idLen = 14

// load discovers the migrations of fsys with bun's discovery and reads their
// up files. It rejects migrations without an up file, non-transactional up
// files (atomicity needs a transaction), IDs that are not 14 digits (name
// order must be time order) and two up files for one ID.
func load(fsys fs.FS) ([]script, error) {
	ms := bunmigrate.NewMigrations()
	if err := ms.Discover(fsys); err != nil {
		return nil, fmt.Errorf("migrate: discover migrations: %w", err)
	}
	ups := make(map[string]string)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".up.sql") {
			return err
		}
		base := path.Base(p)
		id, _, _ := strings.Cut(base, "_")
		if prev, dup := ups[id]; dup {
			return fmt.Errorf("migrate: two up files for migration %s: %s and %s", id, prev, p)
		}
		ups[id] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: discover migrations: %w", err)
	}

	sorted := ms.Sorted()
	scripts := make([]script, 0, len(sorted))
	for _, m := range sorted {
		file, ok := ups[m.Name]
		if !ok || m.Up == nil {
			return nil, fmt.Errorf("migrate: migration %s_%s has no up file", m.Name, m.Comment)
		}
		if len(m.Name) != idLen {
			return nil, fmt.Errorf("migrate: %s: the ID must be a %d-digit UTC timestamp (20060102150405)", file, idLen)
		}
		if !strings.HasSuffix(file, ".tx.up.sql") {
			return nil, fmt.Errorf("migrate: %s: only transactional migrations (.tx.up.sql) are supported", file)
		}
		body, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		stmts, err := splitStatements(body)
		if err != nil {
			return nil, fmt.Errorf("migrate: %s: %w", file, err)
		}
		scripts = append(scripts, script{id: m.Name, comment: m.Comment, file: file, statements: stmts})
	}
	if len(scripts) == 0 {
		return nil, fmt.Errorf("migrate: %w", ErrNoMigrations)
	}
	return scripts, nil
}

// splitStatements splits a migration file the way bun does: a line
// "--bun:split" ends a statement, any other "--bun:" directive is an error,
// blank lines are dropped.
func splitStatements(body []byte) ([]string, error) {
	const prefix = "--bun:"
	var (
		stmts []string
		cur   []byte
	)
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, len(body)+1)
	for sc.Scan() {
		line := sc.Bytes()
		if d, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte(prefix)); ok {
			if string(d) != "split" {
				return nil, fmt.Errorf("unknown directive %q", prefix+string(d))
			}
			if len(cur) > 0 {
				stmts = append(stmts, string(cur))
				cur = nil
			}
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			cur = append(append(cur, line...), '\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(cur) > 0 {
		stmts = append(stmts, string(cur))
	}
	if len(stmts) == 0 {
		return nil, errors.New("no statements")
	}
	return stmts, nil
}
