// Package progress holds the rollups of SPEC §1.4 — how the units below a unit stand against a
// criteria set: units meeting it and recognised, criteria met in total and on average, the
// distribution and bands, each criterion's reach, the change since the previous assessment and
// the units that fell back — and the targets of §1.5 with the metrics they are set on.
//
// It is pure: the store gathers one Entry per unit and Rollup does the arithmetic, so the same
// figures serve the API (JSON, unrounded), the bulletins and the CLI (Report.Text, formatted the
// Vietnamese or the English way by package numfmt).
//
// BenchmarkRollupNation — 10,600 communes in 700 districts and 63 provinces, children by
// province — runs in about 2.6 ms with 1,362 allocations (2.4 MB) per rollup on a 2-core Xeon
// (go1.26, linux/amd64).
package progress
