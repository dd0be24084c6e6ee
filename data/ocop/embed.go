// Package ocopdata holds the OCOP data that ntm ships inside its binary: the scoring rules of
// each decision (parts, star bands, mandatory conditions, who evaluates, certificate validity)
// and the product taxonomy. README.md names the sources; facts not checked against the
// decisions' own text carry verified: false.
package ocopdata

import "embed"

// FS is the shipped OCOP data, read-only.
//
//go:embed *.yaml
var FS embed.FS
