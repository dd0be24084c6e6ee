package main

import "github.com/ntm-vn/ntm/internal/i18n"

// The words of the Vietnamese tables for the codes the database keeps (province, commune,
// ocop-council): a table in Vietnamese shows "xã" and "Hội đồng OCOP", --json the codes.

// levelVI is the Vietnamese name of an administrative level, as the offices write it.
func levelVI(l string) string {
	switch l {
	case "province":
		return "tỉnh"
	case "district":
		return "huyện"
	case "commune":
		return "xã"
	case "village":
		return "thôn"
	}
	return l
}

// lineageVI says whether a unit passed to another whole or in part ("toàn bộ", "một phần").
func lineageVI(k string) string {
	if s := i18n.T("vi", "lineage."+k); s != "lineage."+k {
		return s
	}
	return k
}

// roleVI is the Vietnamese name of a user's role, from the same catalog as the web pages.
func roleVI(r string) string {
	if s := i18n.T("vi", "role."+r); s != "role."+r {
		return s
	}
	return r
}
