package units

import (
	"slices"
	"sync"

	"github.com/ntm-vn/ntm/data"
)

// Shipped returns the units and lineage that ntm ships in data/units (built by tools/unitsgen;
// data/units/README.md names the sources). The files are parsed once; each call returns fresh
// copies that the caller may change.
func Shipped() (units []Unit, lineage []Lineage, err error) {
	s, err := shipped()
	if err != nil {
		return nil, nil, err
	}
	units = slices.Clone(s.units)
	for i := range units {
		units[i].Tags = slices.Clone(units[i].Tags)
	}
	return units, slices.Clone(s.lineage), nil
}

type shippedData struct {
	units   []Unit
	lineage []Lineage
}

var shipped = sync.OnceValues(func() (shippedData, error) {
	var s shippedData
	f, err := data.FS.Open("units/units.csv")
	if err != nil {
		return s, err
	}
	defer f.Close()
	if s.units, err = ParseCSV("data/units/units.csv", f); err != nil {
		return s, err
	}
	g, err := data.FS.Open("units/lineage.csv")
	if err != nil {
		return s, err
	}
	defer g.Close()
	s.lineage, err = ParseLineageCSV("data/units/lineage.csv", g)
	return s, err
})
