// Package plandata holds the planner's rules that ntm ships in its binary: the early-warning
// margins (how close to a threshold a recognised commune may come before it is flagged).
package plandata

import "embed"

// FS holds the YAML files, read-only.
//
//go:embed *.yaml
var FS embed.FS
