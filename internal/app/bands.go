package app

import (
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"

	reportdata "github.com/ntm-vn/ntm/data/reports"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/progress"
)

// setBands are the bands of data/reports/bands.yaml, as written, by set id.
var setBands = sync.OnceValues(func() (map[string][]string, error) {
	b, err := reportdata.FS.ReadFile("bands.yaml")
	if err != nil {
		return nil, err
	}
	var f struct {
		Sets map[string][]string `yaml:"sets"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("data/reports/bands.yaml: %w", err)
	}
	return f.Sets, nil
})

// BandsOf returns the bands by which figures of set group units by criteria met: those
// data/reports/bands.yaml gives for the set, else progress.DefaultBands.
func BandsOf(set *criteria.Set) ([]progress.Band, error) {
	all, err := setBands()
	if err != nil {
		return nil, err
	}
	items, ok := all[set.ID]
	if !ok {
		return progress.DefaultBands(len(set.Criteria)), nil
	}
	bands, err := progress.ParseBands(items, len(set.Criteria))
	if err != nil {
		return nil, fmt.Errorf("data/reports/bands.yaml: %s: %w", set.ID, err)
	}
	return bands, nil
}
