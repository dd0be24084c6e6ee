package main

import "flag"

// The flags that many commands share, declared once so that they read the same everywhere.
// --as-of and --user (who writes) are declared by main from the command's asOf and actor.

// asOfToday is the help of the plain --as-of: a day, today when not given.
const asOfToday = "ngày, dd/mm/yyyy hoặc YYYY-MM-DD; mặc định hôm nay (date, default today)"

// audited is the help of --user on a command that writes: who (in Vietnamese, then in
// English) does it, for the audit log.
func audited(vi, en string) string {
	return vi + ", ghi vào nhật ký (" + en + ", for the audit log)"
}

// The help of --user on an import, and on a command that records a decision.
var (
	imported = audited("người nhập", "who imports")
	recorded = audited("người ghi", "who records it")
	entered  = audited("người nhập", "who enters")
)

// unitFlag declares --unit, a unit whose figures are wanted, the whole country when not given.
func unitFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "unit", "", "mã đơn vị; mặc định cả nước (unit code; default: the whole country)")
}

// withinFlag declares --unit for a list that holds the unit and those below it.
func withinFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "unit", "", "chỉ đơn vị này và cấp dưới; mặc định cả nước (only this unit and those below it; default: the country)")
}

// setFlag declares --set, a criteria set, the commune NTM set in force when not given.
func setFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "set", "", "mã bộ tiêu chí; mặc định bộ xã NTM đang có hiệu lực (criteria set id; default: the commune NTM set in force)")
}

// textLangFlag declares --lang, the language of the text a command prints.
func textLangFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "lang", "vi", "ngôn ngữ của văn bản in ra: vi hoặc en (language of the text output)")
}

// yearFlag declares --year, the plan's year, that of --as-of when not given.
func yearFlag(fs *flag.FlagSet, p *int) {
	fs.IntVar(p, "year", 0, "năm kế hoạch; mặc định năm của --as-of (the plan's year; default: the year of --as-of)")
}
