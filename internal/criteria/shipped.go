package criteria

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/ntm-vn/ntm/data"
)

var shipped struct {
	once sync.Once
	sets []*Set
	cat  *Catalog
	err  error
}

// ShippedSets parses the sets shipped in the binary (data/criteria/*.yaml), in file order.
func ShippedSets() ([]*Set, error) {
	loadShipped()
	return shipped.sets, shipped.err
}

// Shipped is the catalog of the shipped sets.
func Shipped() (*Catalog, error) {
	loadShipped()
	return shipped.cat, shipped.err
}

func loadShipped() {
	shipped.once.Do(func() {
		shipped.sets, shipped.err = loadDir(data.FS, "criteria")
		if shipped.err == nil {
			shipped.cat, shipped.err = NewCatalog(shipped.sets...)
		}
	})
}

func loadDir(fsys fs.FS, dir string) ([]*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var sets []*Set
	var all []Problem
	for _, n := range names {
		p := path.Join(dir, n)
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		s, err := Parse("data/"+p, src)
		if err != nil {
			if ps, ok := ValidationProblems(err); ok {
				all = append(all, ps...)
				continue
			}
			return nil, err
		}
		sets = append(sets, s)
	}
	if len(all) > 0 {
		return nil, ValidationFault(all)
	}
	return sets, nil
}
