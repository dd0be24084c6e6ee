package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/units"
)

// shipped loads the shipped units into db once per test.
func shipped(t *testing.T, db *store.DB) {
	t.Helper()
	us, ls, err := units.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportUnits(context.Background(), us, ls); err != nil {
		t.Fatal(err)
	}
}

func TestUnits_CountsBeforeAndAfterReform(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cases := []struct {
			day   units.Date
			level units.Level
			want  int
		}{
			{"2026-01-01", units.LevelProvince, 34},
			{"2026-01-01", units.LevelCommune, 3321},
			{"2026-01-01", units.LevelDistrict, 0},
			{"2025-07-01", units.LevelProvince, 34},
			{"2025-06-30", units.LevelProvince, 63},
			{"2025-06-30", units.LevelDistrict, 696},
			{"2025-06-30", units.LevelCommune, 10035},
			{"2020-01-01", units.LevelProvince, 63},
			{"2019-06-30", units.LevelDistrict, 713},
			{"2019-06-30", units.LevelCommune, 11160},
			{"2021-06-30", units.LevelDistrict, 705},
			{"2021-06-30", units.LevelCommune, 10603},
		}
		for _, c := range cases {
			got, err := db.CountUnits(ctx, c.level, c.day)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s on %s: %d units, want %d", c.level, c.day, got, c.want)
			}
		}
		provinces, err := db.Children(ctx, "", "2026-01-01")
		if err != nil || len(provinces) != 34 {
			t.Fatalf("Children(root) = %d provinces, %v", len(provinces), err)
		}
	})
}

func TestUnits_ImportIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		shipped(t, db)
		us, ls, _ := units.Shipped()
		st, err := db.ImportUnits(context.Background(), us, ls)
		if err != nil {
			t.Fatal(err)
		}
		if st.Inserted != 0 || st.Updated != 0 || st.Unchanged != len(us) || st.LineageIn != 0 {
			t.Errorf("second import changed something: %+v", st)
		}
	})
}

func TestUnits_ReusedCodeResolvesByDate(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cases := []struct {
			code string
			day  units.Date
			name string
		}{
			{"00004", "2025-06-30", "Phường Trúc Bạch"},
			{"00004", "2025-07-01", "Phường Ba Đình"},
			{"52", "2024-05-01", "Tỉnh Bình Định"},
			{"52", "2026-01-01", "Tỉnh Gia Lai"},
		}
		for _, c := range cases {
			u, err := db.Unit(ctx, c.code, c.day)
			if err != nil {
				t.Fatalf("%s on %s: %v", c.code, c.day, err)
			}
			if u.FullName != c.name {
				t.Errorf("%s on %s = %q, want %q", c.code, c.day, u.FullName, c.name)
			}
		}
		if _, err := db.Unit(ctx, "99999", "2026-01-01"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown code: err = %v, want ErrNotFound", err)
		}
	})
}

func TestUnits_SuccessorsAndPredecessors(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Phường Quán Thánh (00013) went wholly into Phường Ba Đình (00004) on 1 July 2025.
		old, links, err := db.Successors(ctx, "00013", "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if old.FullName != "Phường Quán Thánh" || len(links) != 1 || links[0].Unit.Code != "00004" || links[0].Kind != units.LineageFull {
			t.Errorf("successors of 00013 = %v %+v", old.FullName, links)
		}
		// An old commune split between several new ones has several successors, all partial.
		found := false
		for _, code := range []string{"00016", "00019"} {
			_, links, err := db.Successors(ctx, code, "2026-01-01")
			if err != nil {
				t.Fatal(err)
			}
			if len(links) > 1 {
				found = true
				for _, l := range links {
					if !l.Unit.ValidOn("2026-01-01") {
						t.Errorf("%s successor %s not valid on the date", code, l.Unit.Code)
					}
				}
			}
		}
		if !found {
			t.Error("no partial split found among 00016, 00019")
		}
		u, prev, err := db.Predecessors(ctx, "00004", "2025-07-01")
		if err != nil {
			t.Fatal(err)
		}
		if u.FullName != "Phường Ba Đình" || len(prev) < 2 {
			t.Fatalf("predecessors of 00004 = %q %d", u.FullName, len(prev))
		}
		if prev[0].Unit.Code != "00004" || prev[0].Unit.FullName != "Phường Trúc Bạch" {
			t.Errorf("first predecessor = %+v, want the old 00004 Phường Trúc Bạch", prev[0].Unit)
		}
		// A code that still exists unchanged has no version ending before the date.
		if _, _, err := db.Successors(ctx, "00004", "2025-06-30"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("successors before the reform: %v, want ErrNotFound", err)
		}
	})
}

// A commune merged in 2019 resolves to the commune that took it in, then, through the
// mergers of 2025, to the commune of today.
func TestUnits_MergedIn2019ResolvesToSuccessor(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Xã Đông Khê (16387) went into Xã Đông Khê (16408, formerly Đông Anh) on 01/12/2019.
		old, links, err := db.Successors(ctx, "16387", "2020-06-30")
		if err != nil {
			t.Fatal(err)
		}
		if old.FullName != "Xã Đông Khê" || old.ParentCode != "405" || len(links) != 1 || links[0].Unit.Code != "16408" ||
			links[0].Effective != "2019-12-01" || links[0].Unit.ParentCode != "405" {
			t.Errorf("successors of 16387 on 2020-06-30 = %+v %+v", old, links)
		}
		_, links, err = db.Successors(ctx, "16387", "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(links) != 1 || !links[0].Unit.ValidOn("2026-01-01") || links[0].Unit.Level != units.LevelCommune {
			t.Errorf("successors of 16387 today = %+v", links)
		}
		u, prev, err := db.Predecessors(ctx, "16408", "2020-06-30")
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, p := range prev {
			codes = append(codes, p.Unit.Code+" "+p.Unit.FullName)
		}
		if u.FullName != "Xã Đông Khê" || strings.Join(codes, ", ") != "16387 Xã Đông Khê, 16408 Xã Đông Anh" {
			t.Errorf("predecessors of 16408 on 2020-06-30 = %q %v", u.FullName, codes)
		}
	})
}

func TestUnits_SearchIgnoresDiacriticsAndCase(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, q := range []string{"soc son", "SÓC SƠN", "Sóc  Sơn"} {
			got, err := db.SearchUnits(ctx, store.UnitQuery{AsOf: "2025-06-30", Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 || got[0].FullName != "Huyện Sóc Sơn" {
				t.Errorf("search %q: first = %v, want Huyện Sóc Sơn", q, got)
			}
		}
		// Within a subtree: only Hà Nội's units.
		got, err := db.SearchUnits(ctx, store.UnitQuery{AsOf: "2025-06-30", Text: "soc son", Within: "01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range got {
			if u.Region != units.RegionDBSH {
				t.Errorf("search within 01 found %s %s", u.Code, u.FullName)
			}
		}
		// Districts no longer exist after the reform.
		got, _ = db.SearchUnits(ctx, store.UnitQuery{AsOf: "2026-01-01", Text: "soc son", Level: units.LevelDistrict})
		if len(got) != 0 {
			t.Errorf("districts found after the reform: %v", got)
		}
	})
}

func TestUnits_DescendantsAndAncestors(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		desc, err := db.Descendants(ctx, "01", "2025-06-30")
		if err != nil {
			t.Fatal(err)
		}
		var districts, communes int
		for _, u := range desc {
			switch u.Level {
			case units.LevelDistrict:
				districts++
			case units.LevelCommune:
				communes++
			}
		}
		if districts != 30 || communes < 500 {
			t.Errorf("Hà Nội before the reform: %d districts, %d communes", districts, communes)
		}
		anc, err := db.Ancestors(ctx, "00376", "2025-06-30") // Thị trấn Sóc Sơn
		if err != nil {
			t.Fatal(err)
		}
		if len(anc) != 2 || anc[0].Code != "016" || anc[1].Code != "01" {
			t.Errorf("ancestors = %+v", anc)
		}
	})
}

func TestUnits_ImportBadParentChangesNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		csv := "code,name,full_name,name_en,level,type,parent_code,region_code,valid_from,valid_to,tags\n" +
			"9000001,Thôn Một,Thôn Một,Thon Mot,village,thôn,00004,DBSH,2025-07-01,,\n" +
			"9000002,Thôn Hai,Thôn Hai,Thon Hai,village,thôn,77777,DBSH,2025-07-01,,\n"
		us, err := units.ParseCSVOptions{AllowExternalParents: true}.Parse("villages.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.ImportUnits(ctx, us, nil)
		if f, ok := fault.As(err); !ok || f.Code != fault.InvalidValue || f.Field != "unit 9000002" {
			t.Fatalf("err = %v, want a ParentError for 9000002", err)
		}
		if _, err := db.Unit(ctx, "9000001", "2026-01-01"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the good row was stored although the import failed: %v", err)
		}
	})
}

func TestWrite_RollsBackOnError(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO criteria_sets (id, filename, source, imported_at) VALUES ('x', 'x.yaml', '', '')`); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		sets, err := db.CriteriaSetSources(ctx)
		if err != nil || len(sets) != 0 {
			t.Errorf("after rollback: %d sets, %v", len(sets), err)
		}
	})
}
