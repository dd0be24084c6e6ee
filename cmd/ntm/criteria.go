package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/recognition"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// Commands for criteria sets (bộ tiêu chí) and for checking a values file against one:
// criteria validate|list|show|export|import, evaluate.

func init() {
	register(criteriaValidateCmd, criteriaListCmd, criteriaShowCmd, criteriaExportCmd,
		criteriaImportCmd, criteriaVerifyCmd, evaluateCmd)
}

// criteriaValidateCmd is `ntm criteria validate`.
func criteriaValidateCmd() *command {
	return &command{
		name:  "criteria validate",
		usage: "FILE.yaml|FILE.xlsx...",
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) == 0 {
				return usageError{"cho ít nhất một tệp bộ tiêu chí (give at least one criteria-set file)"}
			}
			return validateCriteriaFiles(ctx, e, args)
		},
	}
}

// criteriaListCmd is `ntm criteria list`.
func criteriaListCmd() *command {
	return &command{
		name:      "criteria list",
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			cat, origin, err := criteriaCatalog(ctx, e)
			if err != nil {
				return err
			}
			return listCriteriaSets(e, cat, origin)
		},
	}
}

// criteriaShowCmd is `ntm criteria show`.
func criteriaShowCmd() *command {
	return &command{
		name:   "criteria show",
		usage:  "ID",
		oneArg: &usageError{"cho một mã bộ tiêu chí (give one criteria-set id)"},
		run: func(ctx context.Context, e *env, args []string) error {
			cat, origin, err := criteriaCatalog(ctx, e)
			if err != nil {
				return err
			}
			s, err := getSet(cat, args[0])
			if err != nil {
				return err
			}
			if e.json {
				return e.printJSON(map[string]any{"set": s, "stats": s.Stats(), "verified_sources": s.VerifiedSources(), "origin": origin[s.ID]})
			}
			showCriteriaSet(e.stdout, s, origin[s.ID])
			return nil
		},
	}
}

// criteriaExportCmd is `ntm criteria export`.
func criteriaExportCmd() *command {
	exportFormat, exportOut := "xlsx", ""
	return &command{
		name:   "criteria export",
		usage:  "ID [--format xlsx|yaml] [--out FILE]",
		flags:  []flagDef{{"format", &exportFormat}, {"out", &exportOut}},
		oneArg: &usageError{"cho một mã bộ tiêu chí (give one criteria-set id)"},
		run: func(ctx context.Context, e *env, args []string) error {
			if exportFormat != "xlsx" && exportFormat != "yaml" {
				return usageError{"--format là xlsx hoặc yaml (--format is xlsx or yaml)"}
			}
			cat, _, err := criteriaCatalog(ctx, e)
			if err != nil {
				return err
			}
			s, err := getSet(cat, args[0])
			if err != nil {
				return err
			}
			return exportCriteriaSet(e, s, exportFormat, exportOut)
		},
	}
}

// criteriaImportCmd is `ntm criteria import`.
func criteriaImportCmd() *command {
	var docxDryRun bool
	var issued, effective string
	id := criteria.DocxIdentity{Level: "commune", Tier: "ntm"}
	return &command{
		name:  "criteria import",
		usage: "FILE.yaml|FILE.xlsx|FILE.docx",
		actor: true,
		flags: []flagDef{{"id", &id.ID}, {"title", &id.Title}, {"decision", &id.Decision},
			{"issued", &issued}, {"effective", &effective}, {"level", &id.Level}, {"tier", &id.Tier},
			{"extends", &id.Extends}, {"dry-run", &docxDryRun}},
		oneArg: &usageError{"cho một tệp bộ tiêu chí (give one criteria-set file)"},
		run: func(ctx context.Context, e *env, args []string) error {
			for _, d := range []struct {
				name, v string
				to      *units.Date
			}{{"issued", issued, &id.Issued}, {"effective", effective, &id.Effective}} {
				if d.v != "" {
					day, err := dateFlag(d.name, d.v)
					if err != nil {
						return err
					}
					*d.to = day
				}
			}
			if isDocx(args[0]) && id.ID == "" {
				return usageError{"phụ lục DOCX cần --id MÃ (và --title, --decision, --issued …) (a DOCX annex needs --id ID, and --title, --decision, --issued …)"}
			}
			if docxDryRun {
				return dryRunDocx(ctx, e, args[0], id)
			}
			return importCriteriaSet(ctx, e, args[0], id)
		},
	}
}

// criteriaVerifyCmd is `ntm criteria verify`.
func criteriaVerifyCmd() *command {
	return &command{
		name:  "criteria verify",
		usage: "ID CODE...",
		actor: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) < 2 {
				return usageError{"cho mã bộ tiêu chí và một hay nhiều mã chỉ tiêu (give a set id and one or more indicator codes)"}
			}
			_, live, err := e.rules(ctx)
			if err != nil {
				return err
			}
			if err := live.MarkVerified(ctx, e.actor, args[0], args[1:]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Đã ghi nhận đối chiếu văn bản: bộ %s, chỉ tiêu %s\n", args[0], strings.Join(args[1:], ", "))
			return nil
		},
	}
}

// evaluateCmd is `ntm evaluate`.
func evaluateCmd() *command {
	var ev evaluateFlags
	return &command{
		name:  "evaluate",
		usage: "--set ID --unit CODE --values FILE.csv [--period P]",
		flags: []flagDef{{"set", &ev.set}, {"unit", &ev.unit}, {"values", &ev.values}, {"period", &ev.period},
			{"region", &ev.region}, {"group", &ev.group}, {"tags", &ev.tags}, {"as-of", &ev.asOf},
			{"all", &ev.all}},
		flagsOnly: true,
		run: func(ctx context.Context, e *env, args []string) error {
			if ev.set == "" || ev.unit == "" || ev.values == "" {
				return usageError{"cần --set, --unit và --values (--set, --unit and --values are required)"}
			}
			return evaluateValuesFile(ctx, e, ev)
		},
	}
}

// setNotFound is an unknown set id: exit code 4.
type setNotFound struct{ id string }

func (e setNotFound) Error() string {
	return fmt.Sprintf("không có bộ tiêu chí %q (no criteria set %q); xem ntm criteria list", e.id, e.id)
}

func (e setNotFound) Is(target error) bool { return target == store.ErrNotFound }

func getSet(cat *criteria.Catalog, id string) (*criteria.Set, error) {
	s, ok := cat.Get(id)
	if !ok {
		return nil, setNotFound{id}
	}
	return s, nil
}

func isDocx(path string) bool { return strings.EqualFold(filepath.Ext(path), ".docx") }

// readDocx reads a DOCX annex into a set with the identity id (criteria import's flags),
// printing the cells kept as text to w.
func readDocx(path string, id criteria.DocxIdentity, w io.Writer) (*criteria.Set, []byte, *criteria.DocxResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	res, err := criteria.ImportDocx(path, data, id)
	if f, ok := fault.As(err); ok && f.Field == "file" {
		// The reader names the request's part ("file"); on the command line the file is its path.
		g := *f
		g.Field = path
		err = &g
	}
	if err != nil {
		return nil, nil, nil, err
	}
	for _, c := range res.Unreadable {
		fmt.Fprintf(w, "%s: %s\n", filepath.Base(path), c)
	}
	s, err := res.Parse() // problems named by the table's row and column
	return s, res.YAML, res, err
}

// dryRunDocx prints the set read from a DOCX as YAML and its differences from the shipped
// set of the same id (or the one it extends).
func dryRunDocx(ctx context.Context, e *env, path string, id criteria.DocxIdentity) error {
	s, src, res, err := readDocx(path, id, e.stderr)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"yaml": string(src), "unreadable": nonNil(res.Unreadable), "source": res.Source, "stats": s.Stats()})
	}
	e.stdout.Write(src)
	shipped, err := criteria.Shipped()
	if err != nil {
		return err
	}
	base, ok := shipped.Get(s.ID)
	if !ok && s.Extends != "" {
		base, ok = shipped.Get(s.Extends)
	}
	if !ok {
		fmt.Fprintf(e.stdout, "# Không có bộ tiêu chí đi kèm chương trình cùng mã %s để so sánh.\n", s.ID)
		return nil
	}
	fmt.Fprintf(e.stdout, "# Khác với bộ %s đi kèm chương trình:\n", base.ID)
	for _, d := range criteria.Diff(base, s) {
		fmt.Fprintf(e.stdout, "#   %s\n", d)
	}
	return nil
}

// readSetFile reads a criteria set from YAML, from an annex workbook (.xlsx) or from a DOCX
// annex with the identity id.
func readSetFile(path string, id criteria.DocxIdentity, w io.Writer) (*criteria.Set, []byte, error) {
	if isDocx(path) {
		s, src, _, err := readDocx(path, id, w)
		return s, src, err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if isWorkbook(path, src) {
		s, err := criteria.ImportXLSX(path, bytes.NewReader(src))
		return s, nil, err
	}
	s, err := criteria.Parse(path, src)
	return s, src, err
}

func isWorkbook(path string, src []byte) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".xlsx" || ext == ".xlsm" || (ext != ".yaml" && ext != ".yml" && bytes.HasPrefix(src, []byte("PK\x03\x04")))
}

type validation struct {
	File     string             `json:"file"`
	ID       string             `json:"id,omitempty"`
	OK       bool               `json:"ok"`
	Stats    *criteria.Stats    `json:"stats,omitempty"`
	Problems []criteria.Problem `json:"problems"`
}

func validateCriteriaFiles(ctx context.Context, e *env, paths []string) error {
	var results []validation
	var sets []*criteria.Set
	var all []criteria.Problem
	for _, p := range paths {
		v := validation{File: p, Problems: []criteria.Problem{}}
		s, _, err := readSetFile(p, criteria.DocxIdentity{}, e.stderr)
		ps, invalid := criteria.ValidationProblems(err)
		switch {
		case invalid:
			v.Problems = ps
			all = append(all, ps...)
		case err != nil:
			v.Problems = []criteria.Problem{{File: p, Message: err.Error()}}
			all = append(all, v.Problems...)
		default:
			v.ID = s.ID
			sets = append(sets, s)
		}
		results = append(results, v)
	}
	// Resolve extends and requires against the shipped sets, the imported ones and the files.
	base, err := baseSets(ctx, e)
	if err != nil {
		return err
	}
	cat, err := criteria.NewCatalog(append(base, sets...)...)
	if ps, ok := criteria.ValidationProblems(err); ok {
		for _, p := range ps {
			for i := range results {
				if results[i].File == p.File {
					results[i].Problems = append(results[i].Problems, p)
				}
			}
		}
		all = append(all, ps...)
	} else if err != nil {
		return err
	}
	for i := range results {
		results[i].OK = len(results[i].Problems) == 0
		if results[i].OK && cat != nil {
			if s, ok := cat.Get(results[i].ID); ok {
				st := s.Stats()
				results[i].Stats = &st
			}
		}
	}
	if e.json {
		if err := e.printJSON(results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			if r.OK {
				fmt.Fprintf(e.stdout, "✓ %s: %s — %d tiêu chí, %d chỉ tiêu, %d có ngưỡng (%d %s), %d chưa có ngưỡng\n",
					r.File, r.ID, r.Stats.Criteria, r.Stats.Indicators, r.Stats.Thresholds, r.Stats.Unverified,
					criteria.UnverifiedVI, r.Stats.Missing)
			} else {
				fmt.Fprintf(e.stdout, "✗ %s: %d lỗi\n", r.File, len(r.Problems))
			}
		}
	}
	if len(all) > 0 {
		return criteria.ValidationFault(all)
	}
	return nil
}

type setListing struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Decision   string     `json:"decision"`
	Issued     units.Date `json:"issued"`
	Effective  units.Date `json:"effective"`
	Superseded units.Date `json:"superseded,omitempty"`
	Level      string     `json:"level"`
	Tier       string     `json:"tier"`
	VariesBy   string     `json:"varies_by"`
	Requires   []string   `json:"requires"`
	Partial    bool       `json:"partial,omitempty"`
	Origin     string     `json:"origin"`
	criteria.Stats
}

func listCriteriaSets(e *env, cat *criteria.Catalog, origin map[string]string) error {
	sets := cat.Sets()
	sort.SliceStable(sets, func(i, j int) bool {
		if sets[i].Basis.Effective != sets[j].Basis.Effective {
			return sets[i].Basis.Effective < sets[j].Basis.Effective
		}
		return sets[i].ID < sets[j].ID
	})
	var out []setListing
	for _, s := range sets {
		out = append(out, setListing{ID: s.ID, Title: s.Title, Decision: s.Basis.Decision, Issued: s.Basis.Issued,
			Effective: s.Basis.Effective, Superseded: s.Basis.Superseded, Level: s.Level, Tier: s.Tier,
			VariesBy: s.VariesBy, Requires: s.Requires, Partial: s.Partial, Origin: origin[s.ID], Stats: s.Stats()})
	}
	if e.json {
		return e.printJSON(out)
	}
	tw := e.table("MÃ\tQUYẾT ĐỊNH\tHIỆU LỰC\tCẤP\tMỨC\tTIÊU CHÍ\tCHỈ TIÊU\tNGƯỠNG CHƯA ĐỐI CHIẾU\tNGUỒN")
	for _, l := range out {
		until := "nay"
		if l.Superseded != "" {
			until = string(l.Superseded)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s → %s\t%s\t%s\t%d\t%d\t%d\t%s\n", l.ID, l.Decision, l.Effective, until,
			levelVI(l.Level), recognition.TierName(l.Tier, "vi"), l.Criteria, l.Indicators, l.Unverified, l.Origin)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d bộ tiêu chí\n", len(out))
	return nil
}

// thresholdText writes an indicator's thresholds: "≥ 95 % chung; TDMNPB 90 %; DBSH ?".
func thresholdText(in *criteria.Indicator) string {
	if !in.HasThreshold() && len(in.By) == 0 {
		return i18n.Both("criteria.cli.no_threshold")
	}
	val := func(v criteria.Value) string {
		if !v.IsSet() {
			return "?"
		}
		if in.Kind == criteria.KindBool {
			if v.Bool {
				return "có"
			}
			return "không"
		}
		s := v.Text("vi")
		if in.Unit != "" && v.Kind == criteria.ValueNumber {
			s += " " + in.Unit
		}
		return s
	}
	op := ""
	switch in.Op {
	case criteria.OpAtLeast:
		op = "≥ "
	case criteria.OpAtMost:
		op = "≤ "
	}
	if in.Kind == criteria.KindBool {
		op = "yêu cầu: "
	}
	var parts []string
	if in.Threshold != nil && in.Threshold.IsSet() {
		parts = append(parts, op+val(*in.Threshold)+" (chung)")
	} else {
		parts = append(parts, op+"— (chung)")
	}
	for _, o := range in.By {
		parts = append(parts, o.Key+": "+val(o.Value))
	}
	s := strings.Join(parts, "; ")
	if in.HasThreshold() && !in.Verified {
		s += " (" + criteria.UnverifiedVI + ")"
	}
	return s
}

func showCriteriaSet(w io.Writer, s *criteria.Set, origin string) {
	st := s.Stats()
	fmt.Fprintf(w, "%s — %s\n", s.ID, s.Title)
	until := "nay"
	if s.Basis.Superseded != "" {
		until = string(s.Basis.Superseded)
	}
	fmt.Fprintf(w, "Quyết định %s, ban hành %s, hiệu lực %s → %s\n", s.Basis.Decision, s.Basis.Issued, s.Basis.Effective, until)
	req := "—"
	if len(s.Requires) > 0 {
		req = strings.Join(s.Requires, ", ")
	}
	fmt.Fprintf(w, "Cấp: %s · Mức: %s · Ngưỡng khác nhau theo: %s · Phải đạt trước: %s · Nguồn: %s\n",
		levelVI(s.Level), s.Tier, s.VariesBy, req, origin)
	if len(s.RegionFromTags) > 0 {
		var rs []string
		for t, r := range s.RegionFromTags {
			rs = append(rs, t+" → "+r)
		}
		sort.Strings(rs)
		fmt.Fprintf(w, "Dùng ngưỡng vùng khác theo nhãn: %s\n", strings.Join(rs, ", "))
	}
	fmt.Fprintf(w, "%d tiêu chí, %d chỉ tiêu; %d có ngưỡng (%d %s), %d chưa có ngưỡng\n",
		st.Criteria, st.Indicators, st.Thresholds, st.Unverified, criteria.UnverifiedVI, st.Missing)
	verified := st.Thresholds - st.Unverified
	fmt.Fprintf(w, "Ngưỡng đã đối chiếu văn bản: %d/%d\n", verified, st.Thresholds)
	for _, sc := range s.VerifiedSources() {
		src := sc.Source
		if src == "" {
			src = "(không ghi nguồn)"
		}
		fmt.Fprintf(w, "  %d theo %s\n", sc.Thresholds, src)
	}
	if s.Partial {
		fmt.Fprintln(w, "Bộ tiêu chí chưa đủ các tiêu chí của quyết định: không thể kết luận đạt chuẩn.")
	}
	if s.Notes != "" {
		fmt.Fprintf(w, "Ghi chú: %s\n", strings.ReplaceAll(strings.TrimSpace(s.Notes), "\n", "\n  "))
	}
	for _, c := range s.Criteria {
		fmt.Fprintf(w, "\nTiêu chí %d. %s", c.Number, c.Name)
		if c.Group != "" {
			fmt.Fprintf(w, "  [%s]", c.Group)
		}
		fmt.Fprintln(w)
		if c.Sector != "" {
			fmt.Fprintf(w, "  Ngành phụ trách: %s\n", c.Sector)
		}
		if c.Note != "" {
			fmt.Fprintf(w, "  Ghi chú: %s\n", strings.ReplaceAll(strings.TrimSpace(c.Note), "\n", " "))
		}
		if len(c.Indicators) == 0 {
			fmt.Fprintf(w, "  (chưa có chỉ tiêu; nhập kết quả tiêu chí với mã %s)\n", criteria.DirectKey(c.Number))
		}
		if c.Partial && len(c.Indicators) > 0 {
			fmt.Fprintf(w, "  (danh mục chỉ tiêu chưa đầy đủ; nhập kết quả tiêu chí với mã %s)\n", criteria.DirectKey(c.Number))
		}
		for i := range c.Indicators {
			in := &c.Indicators[i]
			fmt.Fprintf(w, "  %-6s %s\n", in.Code, in.Name)
			fmt.Fprintf(w, "         %s\n", thresholdText(in))
			if in.Formula != "" {
				fmt.Fprintf(w, "         công thức: %s\n", in.Formula)
			}
			if in.Aggregate != nil {
				fmt.Fprintf(w, "         tổng hợp từ đơn vị cấp dưới: %s, %s\n", in.Aggregate.Set, in.Aggregate.Measure)
			}
			if in.Source != "" {
				fmt.Fprintf(w, "         nguồn: %s\n", in.Source)
			}
			if in.Note != "" {
				fmt.Fprintf(w, "         ghi chú: %s\n", strings.ReplaceAll(strings.TrimSpace(in.Note), "\n", " "))
			}
		}
	}
}

func exportCriteriaSet(e *env, s *criteria.Set, format, out string) error {
	var buf bytes.Buffer
	switch format {
	case "yaml":
		src, err := criteria.Format(s)
		if err != nil {
			return err
		}
		buf.Write(src)
		if out == "" {
			out = "-"
		}
	default:
		if err := criteria.ExportXLSX(s, &buf); err != nil {
			return err
		}
		if out == "" {
			out = s.ID + ".xlsx"
		}
	}
	if out == "-" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return e.answer(map[string]any{"id": s.ID, "format": format, "file": out, "bytes": buf.Len()}, "Đã ghi bộ tiêu chí %s vào %s\n", s.ID, out)
}

type evaluateFlags struct {
	set, unit, values, period, region, group, tags, asOf string
	all                                                  bool
}

func evaluateValuesFile(ctx context.Context, e *env, f evaluateFlags) error {
	var period assessment.Period
	if f.period != "" {
		p, err := assessment.ParsePeriod(f.period)
		if err != nil {
			return usageError{"--period: " + err.Error()}
		}
		period = p
	}
	if f.region != "" {
		if _, ok := units.LookupRegion(f.region); !ok {
			return usageError{fmt.Sprintf("--region %q: dùng TDMNPB, DBSH, BTB, DHNTB, TN, DNB hoặc DBSCL (use one of these regions)", f.region)}
		}
	}
	if f.group != "" {
		f.group = criteria.NormalizeGroup(f.group)
		if !containsString(criteria.Groups, f.group) {
			return usageError{"--group: dùng nhom-1, nhom-2 hoặc nhom-3 (use nhom-1, nhom-2 or nhom-3)"}
		}
	}
	cat, _, err := criteriaCatalog(ctx, e)
	if err != nil {
		return err
	}
	s, err := getSet(cat, f.set)
	if err != nil {
		return err
	}
	file, err := os.Open(f.values)
	if err != nil {
		return err
	}
	rows, err := criteria.ReadValuesCSV(f.values, file)
	file.Close()
	if err != nil {
		return err
	}
	var mine []criteria.ValueRow
	periods := map[string]bool{}
	for _, r := range rows {
		if r.Unit != f.unit || (r.Set != "" && r.Set != s.ID) {
			continue
		}
		p := strings.ToUpper(strings.TrimSpace(r.Period))
		if period.Text != "" && p != period.Text {
			continue
		}
		periods[p] = true
		mine = append(mine, r)
	}
	if len(mine) == 0 {
		return criteria.ValidationFault([]criteria.Problem{{File: f.values,
			Message: fmt.Sprintf("không có giá trị nào của đơn vị %s theo bộ %s%s (no values for unit %s and set %s)",
				f.unit, s.ID, periodSuffix(period.Text), f.unit, s.ID)}})
	}
	if len(periods) > 1 {
		var ps []string
		for p := range periods {
			ps = append(ps, p)
		}
		sort.Strings(ps)
		return usageError{fmt.Sprintf("tệp có nhiều kỳ (%s) cho đơn vị này: chọn một kỳ bằng --period (the file holds several periods for this unit: choose one with --period)", strings.Join(ps, ", "))}
	}
	if period.Text == "" {
		for p := range periods {
			if p != "" {
				if pp, err := assessment.ParsePeriod(p); err == nil {
					period = pp
				} else {
					period.Text = p
				}
			}
		}
	}
	vals, err := s.Values(f.values, mine)
	if err != nil {
		return err
	}

	unit, source, err := evaluationUnit(ctx, e, f, s, period)
	if err != nil {
		return err
	}
	r, err := cat.Evaluate(s.ID, unit, vals, criteria.Options{})
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"period": period.Text, "unit_from": source, "result": r})
	}
	printEvaluation(e.stdout, s, r, period.Text, source, f.all)
	return nil
}

func periodSuffix(p string) string {
	if p == "" {
		return ""
	}
	return ", kỳ " + p
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// evaluationUnit finds the unit's region and tags: from the database when it knows the unit,
// then the flags, which win.
func evaluationUnit(ctx context.Context, e *env, f evaluateFlags, s *criteria.Set, period assessment.Period) (criteria.Unit, string, error) {
	u := criteria.Unit{Code: f.unit}
	source := "flags"
	day := units.Today()
	if period.End != "" {
		day = period.End
	}
	if f.asOf != "" {
		d, err := dateFlag("as-of", f.asOf)
		if err != nil {
			return u, "", err
		}
		day = d
	}
	if du, found, err := unitFromDB(ctx, e, f.unit, day); err != nil {
		fmt.Fprintf(e.stderr, "ntm evaluate: không đọc được đơn vị từ cơ sở dữ liệu (%v); dùng --region/--tags\n", err)
	} else if found {
		u.Region, u.Tags, u.Level = du.Region, du.Tags, string(du.Level)
		source = "database"
		if s.Level == string(units.LevelCommune) && !du.IsRuralCommune() {
			fmt.Fprintf(e.stderr, "ntm evaluate: %s %s không phải là xã; bộ tiêu chí %s dành cho xã\n", du.Code, du.FullName, s.ID)
		} else if s.Level != "" && du.Level != units.Level(s.Level) {
			fmt.Fprintf(e.stderr, "ntm evaluate: %s là đơn vị cấp %s; bộ tiêu chí %s dành cho cấp %s\n", du.Code, levelVI(string(du.Level)), s.ID, levelVI(s.Level))
		}
	}
	if f.region != "" {
		u.Region = f.region
	}
	if f.tags != "" {
		u.Tags = nil
		for _, t := range strings.Split(f.tags, ",") {
			if t = strings.TrimSpace(t); t != "" {
				u.Tags = append(u.Tags, t)
			}
		}
	}
	u.Group = f.group
	if f.region != "" || f.tags != "" || f.group != "" {
		if source == "database" {
			source = "database+flags"
		}
	}
	if s.VariesBy == criteria.VariesRegion && u.Region == "" {
		fmt.Fprintf(e.stderr, "ntm evaluate: chưa biết vùng của đơn vị %s: ngưỡng theo vùng không áp dụng được (dùng --region)\n", f.unit)
	}
	if s.VariesBy == criteria.VariesGroup && u.Group == "" {
		fmt.Fprintf(e.stderr, "ntm evaluate: chưa biết nhóm xã của đơn vị %s: ngưỡng theo nhóm không áp dụng được (dùng --group)\n", f.unit)
	}
	return u, source, nil
}

func printEvaluation(w io.Writer, s *criteria.Set, r *criteria.Result, period, source string, all bool) {
	where := ""
	if reg, ok := units.LookupRegion(r.Unit.Region); ok {
		where = ", vùng " + reg.NameVI
	}
	if r.Unit.Group != "" {
		where += ", xã " + strings.Replace(r.Unit.Group, "nhom-", "nhóm ", 1)
	}
	if len(r.Unit.Tags) > 0 {
		where += ", nhãn " + strings.Join(r.Unit.Tags, ", ")
	}
	fmt.Fprintf(w, "Đơn vị %s%s — bộ tiêu chí %s (%s)%s\n", r.Unit.Code, where, s.ID, s.Basis.Decision, periodSuffix(period))
	verdict := "chưa đạt chuẩn"
	if r.Met {
		verdict = "ĐẠT CHUẨN"
	}
	fmt.Fprintf(w, "Kết quả: đạt %d/%d tiêu chí, %d/%d chỉ tiêu — %s\n", r.CriteriaMet, r.CriteriaTotal, r.IndicatorsMet, r.IndicatorsTotal, verdict)
	if r.Partial {
		fmt.Fprintln(w, "Bộ tiêu chí chưa đủ các tiêu chí của quyết định: không thể kết luận đạt chuẩn.")
	}
	for _, q := range r.Requires {
		state := "chưa đạt"
		if q.Met {
			state = "đạt"
		}
		fmt.Fprintf(w, "Phải đạt trước: %s — %s (tính từ cùng tệp số liệu)\n", q.SetID, state)
	}
	for i := range r.Criteria {
		c := &r.Criteria[i]
		fmt.Fprintf(w, "%s %s — %s\n", statusMark(c.Status), c.ReasonVI(), c.Name)
		if c.Status == criteria.StatusMet && !all {
			continue
		}
		for j := range r.Indicators {
			v := &r.Indicators[j]
			if v.Criterion != c.Number || (!all && (v.Status == criteria.StatusMet || v.Status == criteria.StatusNotApplicable)) {
				continue
			}
			fmt.Fprintf(w, "    %s %s\n", statusMark(v.Status), v.ReasonVI())
		}
	}
	for _, in := range r.Inconsistencies {
		fmt.Fprintf(w, "Không nhất quán: %s\n", in.MessageVI())
	}
	if r.Unverified > 0 {
		fmt.Fprintf(w, "%d kết luận dựa trên ngưỡng %s.\n", r.Unverified, criteria.UnverifiedVI)
	}
	if source == "flags" {
		fmt.Fprintln(w, "(Thông tin đơn vị lấy từ tham số dòng lệnh.)")
	}
}

// statusMark is the mark an evaluation's line begins with: ✓ met, ✗ not met, – not
// applicable, ? unknown.
func statusMark(s criteria.Status) string {
	switch s {
	case criteria.StatusMet:
		return "✓"
	case criteria.StatusNotMet:
		return "✗"
	case criteria.StatusNotApplicable:
		return "–"
	}
	return "?"
}

// ---- The database part: imported sets and unit lookups (internal/store). ----

// criteriaDBWanted says whether to consult the database: always for PostgreSQL, and for
// SQLite only when the file exists, so that listing the shipped sets creates no database.
func criteriaDBWanted(e *env) bool {
	dsn := e.dsn
	if strings.Contains(dsn, "://") {
		return true
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	_, err := os.Stat(path)
	return err == nil
}

// importedSets parses the sets imported into the database.
func importedSets(ctx context.Context, e *env) ([]*criteria.Set, []store.CriteriaSetSource, error) {
	if !criteriaDBWanted(e) {
		return nil, nil, nil
	}
	db, err := e.store(ctx)
	if err != nil {
		return nil, nil, err
	}
	srcs, err := db.CriteriaSetSources(ctx)
	if err != nil {
		return nil, nil, err
	}
	var sets []*criteria.Set
	for _, src := range srcs {
		s, err := criteria.Parse(src.Filename, src.Source)
		if err != nil {
			return nil, nil, fmt.Errorf("bộ tiêu chí %s đã nhập (imported set %s): %w", src.ID, src.ID, err)
		}
		sets = append(sets, s)
	}
	return sets, srcs, nil
}

// baseSets are the shipped sets followed by the imported ones, which replace shipped sets
// with the same id.
func baseSets(ctx context.Context, e *env) ([]*criteria.Set, error) {
	shipped, err := criteria.ShippedSets()
	if err != nil {
		return nil, err
	}
	imported, _, err := importedSets(ctx, e)
	if err != nil {
		return nil, err
	}
	return append(append([]*criteria.Set{}, shipped...), imported...), nil
}

// criteriaCatalog is every known set, with where each came from.
func criteriaCatalog(ctx context.Context, e *env) (*criteria.Catalog, map[string]string, error) {
	shipped, err := criteria.ShippedSets()
	if err != nil {
		return nil, nil, err
	}
	origin := map[string]string{}
	for _, s := range shipped {
		origin[s.ID] = "shipped"
	}
	imported, srcs, err := importedSets(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	for _, src := range srcs {
		origin[src.ID] = "imported " + src.ImportedAt.Format(time.DateOnly) + " (" + filepath.Base(src.Filename) + ")"
	}
	cat, err := criteria.NewCatalog(append(append([]*criteria.Set{}, shipped...), imported...)...)
	if err != nil {
		return nil, nil, err
	}
	return cat, origin, nil
}

// importCriteriaSet validates a set against every known set and stores it as YAML: a YAML
// file as written, a workbook as the YAML of the set it describes, as e.actor; id is the
// identity of a set read from a DOCX annex.
func importCriteriaSet(ctx context.Context, e *env, path string, id criteria.DocxIdentity) error {
	s, src, err := readSetFile(path, id, e.stderr)
	if err != nil {
		return err
	}
	db, err := e.store(ctx)
	if err != nil {
		return err
	}
	base, err := baseSets(ctx, e)
	if err != nil {
		return err
	}
	cat, err := criteria.NewCatalog(append(base, s)...)
	if err != nil {
		return err
	}
	resolved, _ := cat.Get(s.ID)
	if src == nil {
		if src, err = criteria.Format(resolved); err != nil {
			return err
		}
	}
	replaced := ""
	for _, b := range base {
		if b.ID == s.ID {
			replaced = "thay cho bộ cùng mã đã có"
		}
	}
	live, err := app.Open(ctx, db)
	if err != nil {
		return err
	}
	reevaluated, err := live.Import(ctx, e.actor, s, filepath.Base(path), src)
	if err != nil {
		return err
	}
	st := resolved.Stats()
	if e.json {
		return e.printJSON(map[string]any{"id": s.ID, "file": path, "replaced": replaced != "", "stats": st, "reevaluated": reevaluated})
	}
	fmt.Fprintf(e.stdout, "Đã nhập bộ tiêu chí %s từ %s: %d tiêu chí, %d chỉ tiêu, %d có ngưỡng (%d %s)",
		s.ID, path, st.Criteria, st.Indicators, st.Thresholds, st.Unverified, criteria.UnverifiedVI)
	if replaced != "" {
		fmt.Fprintf(e.stdout, "; %s", replaced)
	}
	if reevaluated > 0 {
		fmt.Fprintf(e.stdout, "; đã đánh giá lại %d đánh giá đã lưu", reevaluated)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// unitFromDB looks a unit up as of a day; found is false when the database does not exist
// or does not know it.
func unitFromDB(ctx context.Context, e *env, code string, day units.Date) (units.Unit, bool, error) {
	if !criteriaDBWanted(e) {
		return units.Unit{}, false, nil
	}
	db, err := e.store(ctx)
	if err != nil {
		return units.Unit{}, false, err
	}
	u, err := db.Unit(ctx, code, day)
	if errors.Is(err, store.ErrNotFound) {
		return units.Unit{}, false, nil
	}
	if err != nil {
		return units.Unit{}, false, err
	}
	return u, true, nil
}
