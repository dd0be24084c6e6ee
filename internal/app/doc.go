// Package app holds the use cases of ntm, one place for each: the criteria sets in force for
// a database (catalog.go), and every figure a page, report or command shows — progress,
// targets, registers, OCOP, recognition, plans (rollup.go and its neighbours), and those of
// the dashboard and a unit's page (dashboard.go, unit_figures.go). The API, the command line,
// the pages and the reports all call it, so their numbers cannot disagree.
//
// Handlers in internal/web and commands in cmd/ntm decode, call app, and encode; app calls the
// store and the pure domain packages (criteria, progress, plan, …) and returns their types.
package app
