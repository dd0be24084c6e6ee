package app

import "github.com/ntm-vn/ntm/internal/i18n"

// Basis says which assessments a figure counts (cơ sở số liệu). The official figures an
// office signs count approved assessments only; "all" counts every assessment, drafts
// included, and every output computed on it says so in its title and its JSON.
type Basis string

const (
	BasisApproved Basis = "approved" // số liệu đã phê duyệt: the default
	BasisAll      Basis = "all"      // mọi đánh giá, kể cả chưa phê duyệt
)

// BasisOf is the basis of a request that includes unapproved assessments or not.
func BasisOf(includeUnapproved bool) Basis {
	if includeUnapproved {
		return BasisAll
	}
	return BasisApproved
}

// ApprovedOnly reports whether the basis counts approved assessments only.
func (b Basis) ApprovedOnly() bool { return b != BasisAll }

// Label is the basis as a report or a page names it ("số liệu đã phê duyệt").
func (b Basis) Label(lang string) string {
	if b.ApprovedOnly() {
		return i18n.T(lang, "figures.basis.approved")
	}
	return i18n.T(lang, "figures.basis.all")
}
