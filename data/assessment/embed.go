// Package assessmentdata holds the rules of the assessment workflow that ntm ships inside its
// binary as data: who may not take which step (phân công nhiệm vụ, separation of duties).
package assessmentdata

import "embed"

// FS holds the *.yaml files of this folder.
//
//go:embed *.yaml
var FS embed.FS
