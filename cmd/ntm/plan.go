package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// planFlags are the flags every plan command shares: the unit and the set, checked as ntm
// progress checks them (an unknown unit: exit 4), with the day of --as-of (planAsOf).
type planFlags struct {
	unit, set, lang string
	approvedOnly    bool
}

// planAsOf is the help of the plan commands' --as-of.
const planAsOf = "ngày, dd/mm/yyyy; mặc định hôm nay: phiếu mới nhất của mỗi xã kết thúc trước ngày này (date, default today: each commune's latest assessment ending by then)"

func (f *planFlags) setup(fs *flag.FlagSet) {
	unitFlag(fs, &f.unit)
	setFlag(fs, &f.set)
	fs.BoolVar(&f.approvedOnly, "approved-only", false, "chỉ tính phiếu đã phê duyệt (count approved assessments only)")
	textLangFlag(fs, &f.lang)
}

// open checks the flags and returns the database, the set and the day.
func (f *planFlags) open(ctx context.Context, e *env) (*store.DB, *app.Catalog, *criteria.Set, units.Date, error) {
	db, cat, err := e.rules(ctx)
	if err != nil {
		return nil, nil, nil, "", err
	}
	s, err := app.PickSet(ctx, cat, f.set, e.day)
	if err == nil {
		_, err = e.storeFor(ctx, f.unit)
	}
	return db, cat, s, e.day, err
}

func init() {
	register(func() *command {
		var f planFlags
		return &command{
			name:      "plan",
			summary:   "lộ trình đạt chuẩn: các xã thuộc một đơn vị chưa đạt bộ tiêu chí, xã gần đạt nhất trước, với khoảng cách của từng chỉ tiêu (plan the path to the standard: communes not meeting a set, closest first, with each indicator's gap)",
			asOf:      planAsOf,
			setup:     func(fs *flag.FlagSet, e *env) { f.setup(fs) },
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				db, _, set, day, err := f.open(ctx, e)
				if err != nil {
					return err
				}
				g, err := app.Gaps(ctx, db, set, f.unit, day, f.approvedOnly)
				if err != nil {
					return err
				}
				return e.answer(g, "%s", g.Text(f.lang))
			},
		}
	})
	register(func() *command {
		var w planFlags
		return &command{
			name:      "plan warnings",
			summary:   "cảnh báo sớm: xã đã được công nhận có chỉ tiêu sát ngưỡng (biên trong data/plan/margins.yaml) hoặc chỉ tiêu động giảm (early warning: recognised communes near a threshold or whose dynamic indicators went down)",
			asOf:      planAsOf,
			setup:     func(fs *flag.FlagSet, e *env) { w.setup(fs) },
			flagsOnly: true,
			run: func(ctx context.Context, e *env, args []string) error {
				db, _, set, day, err := w.open(ctx, e)
				if err != nil {
					return err
				}
				ws, err := app.Warnings(ctx, db, set, w.unit, day, w.approvedOnly)
				if err != nil {
					return err
				}
				return e.answer(ws, "%s", ws.Text(w.lang))
			},
		}
	})
}

// planYearFlag is the plan's year: --year, else the year of the day.
func planYearFlag(year int, day units.Date) int {
	if year != 0 {
		return year
	}
	var y int
	fmt.Sscanf(string(day), "%d", &y)
	return y
}

func init() {
	register(planCostsImportCmd)
	register(planProposeCmd)
	register(planWhatifCmd)
}

// planCostsImportCmd is `ntm plan costs import`.
func planCostsImportCmd() *command {
	var f planFlags
	var year int
	return &command{
		name:    "plan costs import",
		usage:   "FILE.csv|FILE.xlsx",
		summary: "nhập bảng đơn giá (Mã chỉ tiêu, Đơn giá (triệu đồng), Ghi chú) của một đơn vị, một năm, một bộ tiêu chí; lỗi thì không nhận gì, mỗi lỗi ghi dòng và cột (import a cost table for a unit, a year and a set; refused whole, every problem by row and column)",
		asOf:    planAsOf,
		actor:   imported,
		setup: func(fs *flag.FlagSet, e *env) {
			f.setup(fs)
			yearFlag(fs, &year)
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) != 1 || f.unit == "" {
				return usageError{"cho một tệp và --unit (takes one file and --unit)"}
			}
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			db, _, set, day, err := f.open(ctx, e)
			if err != nil {
				return err
			}
			rows, err := app.ImportPlanCosts(ctx, db, e.actor, set, f.unit, planYearFlag(year, day), filepath.Base(args[0]), src)
			if err != nil {
				return e.refusedFile(filepath.Base(args[0]), err)
			}
			return e.answer(rows, "%s\n", i18n.T(f.lang, "plan.costs.imported", len(rows), f.unit, fmt.Sprint(planYearFlag(year, day)), set.ID))
		},
	}
}

// planProposeCmd is `ntm plan propose`.
func planProposeCmd() *command {
	var pf planFlags
	var pyear, count int
	return &command{
		name:    "plan propose",
		summary: "đề xuất các xã có chi phí còn thiếu thấp nhất để đạt chỉ tiêu kế hoạch (--count, hoặc chỉ tiêu units_met của năm), với chi phí từng xã (the communes whose gaps cost least for a target, with the cost per commune and the targets met)",
		asOf:    planAsOf,
		setup: func(fs *flag.FlagSet, e *env) {
			pf.setup(fs)
			yearFlag(fs, &pyear)
			fs.IntVar(&count, "count", 0, "số xã cần đạt; mặc định chỉ tiêu units_met của năm trừ số xã đã đạt (communes wanted; default: the year's units_met target less those meeting the set)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || pf.unit == "" {
				return usageError{"chỉ nhận cờ, cần --unit (takes flags only, with --unit)"}
			}
			if count < 0 {
				return usageError{"--count phải từ 1 trở lên (must be 1 or more)"}
			}
			db, _, set, day, err := pf.open(ctx, e)
			if err != nil {
				return err
			}
			p, err := app.Propose(ctx, db, set, pf.unit, planYearFlag(pyear, day), count, day)
			if err != nil {
				return err
			}
			return e.answer(p, "%s", p.Text(pf.lang))
		},
	}
}

// planWhatifCmd is `ntm plan whatif`.
func planWhatifCmd() *command {
	var wf planFlags
	var wyear, version int
	var assume, save string
	return &command{
		name:    "plan whatif",
		summary: "giả định: số liệu cuối năm theo các giả định (danh sách JSON {unit, values, works, criteria}); --save TÊN lưu thành kịch bản có phiên bản (what-if: the year-end figures under assumptions; --save NAME keeps a versioned scenario)",
		asOf:    planAsOf,
		actor:   audited("người lưu", "who saves"),
		setup: func(fs *flag.FlagSet, e *env) {
			wf.setup(fs)
			yearFlag(fs, &wyear)
			fs.StringVar(&assume, "assume", "", "tệp JSON các giả định: [{\"unit\": \"…\", \"values\": {\"2.1\": \"85\"}, \"works\": [id], \"criteria\": [n]}] (JSON file of assumptions)")
			fs.StringVar(&save, "save", "", "lưu thành kịch bản có tên này của đơn vị và năm; đã có thì thêm phiên bản mới (save as the named scenario of the unit and year; a new version if it exists)")
			fs.IntVar(&version, "version", 0, "khi --save một kịch bản đã có: phiên bản làm gốc (with --save of an existing scenario: the version it is based on)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			if len(args) > 0 || wf.unit == "" || assume == "" {
				return usageError{"cần --unit và --assume TỆP.json (takes --unit and --assume FILE.json)"}
			}
			src, err := os.ReadFile(assume)
			if err != nil {
				return err
			}
			var as []app.AssumptionIn
			if err := json.Unmarshal(src, &as); err != nil {
				return fault.Newf(fault.InvalidValue, "%s: không phải danh sách giả định JSON (not a JSON list of assumptions): %v", assume, err)
			}
			db, _, set, day, err := wf.open(ctx, e)
			if err != nil {
				return err
			}
			y := planYearFlag(wyear, day)
			p, err := app.Project(ctx, db, set, wf.unit, y, day, as)
			if err != nil {
				return err
			}
			var sc *store.Scenario
			if save != "" {
				body, _ := json.Marshal(p.Assumptions)
				proj, _ := json.Marshal(p)
				s, err := db.CreateScenario(ctx, e.actor, store.Scenario{UnitCode: wf.unit, Year: y, SetID: set.ID, Name: save, Assumptions: body, Projected: proj})
				if id, ok := store.ExistingID(err); ok {
					if version == 0 {
						return usageError{fmt.Sprintf("kịch bản %q đã có (mã %d): cho --version để lưu phiên bản tiếp theo (the scenario exists: give --version to save its next version)", save, id)}
					}
					s, err = db.SaveScenario(ctx, e.actor, id, version, body, proj)
				}
				if err != nil {
					return err
				}
				sc = &s
			}
			if e.json {
				return e.printJSON(struct {
					app.PlanProjection
					Scenario *store.Scenario `json:"scenario,omitempty"`
				}{p, sc})
			}
			fmt.Fprint(e.stdout, p.Text(wf.lang))
			if sc != nil {
				fmt.Fprintln(e.stdout, i18n.T(wf.lang, "plan.scenario.saved", sc.Name, sc.ID, sc.Version))
			}
			return nil
		},
	}
}
