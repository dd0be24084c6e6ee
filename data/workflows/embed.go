// Package workflowdata holds the recognition workflows (quy trình xét, công nhận) and the
// revocation rules (thu hồi quyết định công nhận) that ntm ships inside its binary, one YAML
// file each. README.md names the legal bases and the sources, and says which facts are not yet
// checked against the decisions' text.
package workflowdata

import "embed"

// FS holds the *.yaml files of this folder.
//
//go:embed *.yaml
var FS embed.FS
