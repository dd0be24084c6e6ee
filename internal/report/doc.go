// Package report writes the reports offices send up the hierarchy: the periodic bulletin
// (bản tin, báo cáo sơ kết / tổng kết) as prose, and the tables — progress by unit, the
// criteria grid (units × criteria, ✓/✗), one unit's indicators with values and thresholds —
// as Markdown, printable HTML, A4 PDF and XLSX workbooks.
//
// Every figure comes from package rollup (ComputeProgress, Targets, CriteriaGrid,
// LatestSheet and the registers' functions), the functions behind GET /api/v1/progress and
// ntm progress, never from queries of its own: a bulletin's numbers are the API's. A Bulletin
// is one data structure; its optional sections (recognition, OCOP, models, funding, tasks)
// stay nil while the system holds no such register, and the layouts leave them out rather
// than write placeholders.
//
// Layouts are data (package data/reports): one text/template per report kind and language
// writes Markdown, with helpers for the offices' conventions (numfmt: "11,78", "356.410",
// "15/02/2026"; two-digit counts "03 xã"; "chưa có xã nào đạt chuẩn" for none; English
// plurals). HTML and PDF are drawn from that Markdown, so each layout is written once.
//
// Periods. A report covers a period P — a year "2026", a half "2026-H1", a quarter "2026-Q2"
// or a month "2026-04". Its figures are as of the period's end — today while the period is
// not over, so that targets are judged on their path to the day rather than to the year's
// end — or as of an earlier day within the period (--as-of, as_of). "This period" is
// measured against the day before the period starts (Period.Before): units newly meeting a
// tier and the change of the headline figures are the figures as of AsOf minus the same
// figures as of Before, and "units that fell back" are those whose assessment of the period
// lost criteria. No comparison is made when the unit's code named another unit on Before
// (codes were reused in the 1 July 2025 reform) or when no unit had been assessed against
// the set by then (a set that came into force during the period). Targets are those of the
// unit for the period's year, judged as of AsOf.
package report
