// Package criteria holds the criteria sets (bộ tiêu chí) of the New Rural Development
// program as data, the loader that validates them, and the pure evaluation engine.
//
// # Sets as data
//
// A Set is read from the YAML format of SPEC §6 by Parse (or from a workbook laid out like a
// decision's annex by ImportXLSX) and written back by Format and ExportXLSX. Every problem is
// reported at once in a ValidationFault, each as FILE:LINE: field: message (for workbooks:
// FILE: sheet "S", dòng R, cột C: …). Unknown keys are errors. Beyond SPEC §6 the format
// accepts `notes` (set), `note` (criterion, indicator), `region_from_tags` (units carrying a
// tag use another region's thresholds: QĐ 318 Điều 1), and `partial` (set: it lists only
// some of the decision's criteria and is never met; criterion: it lists only some of its
// indicators, which can then show that it failed but never that it is met).
//
// An override `by: {DBSH: null}` says the region has its own threshold whose value is not
// known: the general threshold does not apply there. A `by` key of upper-case letters is a
// region code, nhom-1…nhom-3 a commune group, anything else a unit tag.
//
// The sets shipped in the binary (data/criteria) are in Shipped and ShippedSets. A Catalog
// resolves `extends` (an indicator given again replaces the inherited one field by field;
// giving its threshold or by replaces the inherited threshold, overrides and verified flag
// together) and checks `requires` and aggregate references. Sets imported into the database
// are added after the shipped ones and replace a shipped set with the same id.
//
// # Evaluation
//
// Evaluate (or Evaluator.Evaluate) judges one unit's Values against a set and returns a
// Result: a verdict per indicator (met, not_met, missing, not_applicable, no_threshold,
// error) with the value, the threshold that applied and why (tag override, then region or
// group override, then the general value), a verdict per criterion, the counts, and whether
// the set is met. Reasons are sentences in Vietnamese and English, built on demand;
// unverified thresholds add "(chưa đối chiếu văn bản)". The engine does no I/O and never
// panics on bad values.
//
// Values are keyed by indicator code, by data element (the names formulas use), and by
// TC<N> for a criterion assessed directly ("xã đạt 17/19 tiêu chí"): TC17 = đạt decides
// criterion 17, whose verdict then says it was entered; when its indicators decide the other
// way the Result lists an Inconsistency. The key is matched in any case (TC17, tc17). A
// criterion without indicators is decided by its TC value, else it is missing.
//
// A value entered under an indicator's code is used as is; otherwise the indicator's formula
// (expr-lang/expr, compiled once; plain arithmetic runs on a small allocation-free stack
// machine) or aggregate (over the ChildResults the caller passes) computes it. Division by
// zero and formula elements without values give the verdict error with a clear reason.
//
// Required sets: the Evaluator takes their results from Options.Required and counts a set
// nobody reported as not met; Catalog.Evaluate evaluates each required set that the caller
// did not report on the same values.
//
// # Performance
//
// BenchmarkEvaluateNation evaluates 10,600 synthetic communes against a set of
// xa-nang-cao-2021's shape (19 criteria, 75 indicators, thresholds by region, 3 formulas),
// one full pass per op, reusing one Result (EvaluateInto / EvaluateVector). CPU time per pass
// (cpu-ms/op) on the shared 2-core machine with a load average near 20, 7 December 2026:
//
//	values as dense vectors (EvaluateVector)      ≈ 20 ms per pass (25–27 before)
//	values as one Values map per commune          ≈ 51–53 ms per pass (60–65 before)
//	only reading those maps, judging nothing      ≈ 22–25 ms per pass (the floor under "map")
//	a new Result per commune (Evaluate)           ≈ 166 ms per pass, 164 MB allocated
//	shipped xa-nang-cao-2021 / xa-ntm-2021, vectors ≈ 3.8 / 10.5 ms per pass
//
// What makes it fast: which threshold applies, and why, depends only on a unit's region,
// group and the tags the set names, so thresholds are chosen once per class of units
// (classes.go) and each unit's verdicts start from a copy of its class's; values keys find
// their slot through a key index built at compile (keyindex.go), not by hashing into a map.
// Reasons are built only when asked for. A pass allocates nothing once its classes are known
// (3 allocations per pass on average over 30 passes).
package criteria
