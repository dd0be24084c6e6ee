package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/memo"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// The caches keep recent figures of this process. An entry is good while the database's
// data version (store.DataVersion: bumped by every write to assessments, units,
// recognitions and the registers, by any process) and the criteria set are the ones it was
// computed under, so several server processes sharing one database never serve a stale
// figure. The registers' figures read only the registers and the units, so they are kept
// under those two versions (cachedRegisters). Identical requests that miss together compute
// once (singleflight).
var (
	cache     = memo.New[Progress](128)
	regsCache = memo.New[RegisterFigures](256)
)

// cacheKey names a progress request under a data version. The set is named by its pointer's
// content through its id and file stamp: an imported version of a set is a new *Set, and
// the data version changes with the re-evaluation an import causes.
func cacheKey(version string, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes []string) string {
	a := "0"
	if approvedOnly {
		a = "1"
	}
	return strings.Join([]string{version, set.ID, set.File, unit, string(day), a, strings.Join(codes, ",")}, "|")
}

// cachedProgress returns the cached report for the request, computing it when the cache has
// none under the current data version.
func cachedProgress(ctx context.Context, db *store.DB, set *criteria.Set, unit string, day units.Date, approvedOnly bool, codes []string,
	compute func() (Progress, error)) (Progress, error) {
	version, err := db.DataVersion(ctx)
	if err != nil {
		return Progress{}, err
	}
	return cache.Do(db.DSN()+"|"+cacheKey(version, set, unit, day, approvedOnly, codes), compute)
}

// cachedRegisters returns the figures of one register (which, a Reg… bit), computing them
// when the cache has none. They read the registers and the units only, so they are kept
// under those versions: a new assessment or recognition does not make them computed again.
// Each register is kept on its own, so the progress output (every register), the dashboard
// (funding, works, models) and the reminders (tasks) share them.
func cachedRegisters(ctx context.Context, db *store.DB, unit string, day units.Date, which int,
	compute func() (RegisterFigures, error)) (RegisterFigures, error) {
	version, err := db.VersionOf(ctx, store.VersionRegisters, store.VersionUnits)
	if err != nil {
		return RegisterFigures{}, err
	}
	return regsCache.Do(strings.Join([]string{version, db.DSN(), unit, string(day), strconv.Itoa(which)}, "|"), compute)
}
