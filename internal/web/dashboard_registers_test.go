package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
	"github.com/ntm-vn/ntm/internal/web"
)

func TestDashboard_ShowsTheRegistersOfTheUnitOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Units.Each(t, func(t *testing.T, db *store.DB) {
		srv := httptest.NewServer(web.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))))
		defer srv.Close()
		seedResources(t, db)
		tinh := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
		tw := session(t, srv, db, "trung-uong", auth.RoleCentral, "")
		cases := []struct {
			name   string
			path   string
			me     *http.Cookie
			vi, en []string // nil: no registers section
		}{
			{"province with funding, works and models", "/dashboard?unit=52&as_of=2025-12-31", tinh,
				[]string{`id="registers"`, "Nguồn lực, công trình và mô hình năm 2025", "370.600 triệu đồng", "Ngân sách trung ương: 195.420 triệu đồng (52,7%)",
					"Xã Nhơn Châu (2025):", "chênh lệch 1 triệu đồng", "104,48 km đường liên xã", "Giải ngân 2.500 triệu đồng, đạt 25,0% kế hoạch vốn (10.000 triệu đồng)",
					"Khu dân cư nông thôn mới kiểu mẫu: 1 mới trong năm, lũy kế 2"},
				[]string{`id="registers"`, "Resources, works and models in 2025", "370,600 million VND", "Central budget: 195,420 million VND (52.7%)",
					"Xã Nhơn Châu (2025): Reported total 370,601 million VND differs", "104.48 km of inter-commune road", "Disbursed 2,500 million VND, 25.0% of the planned 10,000 million VND",
					"Model residential area: 1 new in the year, 2 in all"}},
			{"the country sums the provinces", "/dashboard?as_of=2025-12-31", tw,
				[]string{`id="registers"`, "370.600 triệu đồng"}, []string{"370,600 million VND"}},
			{"province with empty registers", "/dashboard?unit=01&as_of=2025-12-31", tw, nil, nil},
			{"year before anything was entered", "/dashboard?unit=52&as_of=2023-12-31", tinh, nil, nil},
		}
		for _, c := range cases {
			for _, lang := range []string{"vi", "en"} {
				status, _, body := fetch(t, srv, c.path, lang, c.me)
				if status != 200 {
					t.Fatalf("%s (%s): %d", c.name, lang, status)
				}
				want := c.vi
				if lang == "en" {
					want = c.en
				}
				if want == nil && strings.Contains(body, `id="registers"`) {
					t.Errorf("%s (%s): the registers section shows though nothing is entered", c.name, lang)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("%s (%s): page lacks %q", c.name, lang, w)
					}
				}
			}
		}
	})
}
