// Package resourcesdata holds the lists of the resources register that ntm ships in its
// binary: funding sources, kinds of works and kinds of models. The README names the sources.
package resourcesdata

import "embed"

// FS holds the YAML files, read-only.
//
//go:embed *.yaml
var FS embed.FS
