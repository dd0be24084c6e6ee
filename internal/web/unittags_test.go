package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/units"
)

func init() {
	accessEndpoints = append(accessEndpoints,
		accessEndpoint{name: "communes a set cannot place", method: "GET", action: "",
			path: "/api/v1/units/untagged?set=xa-ntm-2026&unit={unit}&as_of={as_of}"},
		accessEndpoint{name: "import commune groups", method: "POST", action: auth.Import, setup: withCommune,
			path: "/api/v1/units/{unit}/tags?filename=nhom.csv&as_of={as_of}",
			body: "unit_code,tag,decision,decided,valid_from\n{commune},Nhóm 1,1/QĐ-UBND,{as_of},{as_of}\n"},
	)
}

// withCommune sets {commune} to the unit itself if it is a commune or a village, else a
// commune below it.
func withCommune(t *testing.T, m *matrix, unit string, asOf units.Date) {
	t.Helper()
	ctx := context.Background()
	u, err := m.db.Unit(ctx, unit, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if u.Level == units.LevelCommune || u.Level == units.LevelVillage {
		m.vars["{commune}"] = unit
		return
	}
	below, err := m.db.Descendants(ctx, unit, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range below {
		if x.Level == units.LevelCommune {
			m.vars["{commune}"] = x.Code
			return
		}
	}
	t.Fatalf("no commune below %s on %s", unit, asOf)
}

// A province officer imports the decision assigning groups from the page; the list of communes
// the 2026-2030 set cannot place shrinks; a bad file is refused naming row and column, a row
// outside the province is refused, and the API gives the same list.
func TestUnitTagsPage_ImportAndUntagged(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	prov := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	upload := func(content string) (int, string, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("unit", "52")
		fw, _ := mw.CreateFormFile("file", "nhom.csv")
		fw.Write([]byte(content))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/units/tags", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		req.AddCookie(prov)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	count := func() (untagged, communes int) {
		_, _, body := fetch(t, srv, "/units/tags?unit=52&set=xa-ntm-2026", "vi", prov)
		i := strings.Index(body, "Xã chưa đủ thông tin để áp dụng bộ xa-ntm-2026: ")
		if i < 0 || !strings.Contains(body, `action="/units/tags" enctype="multipart/form-data"`) {
			t.Fatalf("page:\n%s", body)
		}
		fmt.Sscanf(body[i+len("Xã chưa đủ thông tin để áp dụng bộ xa-ntm-2026: "):], "%d/%d", &untagged, &communes)
		return
	}
	before, communes := count()
	if before == 0 || before != communes {
		t.Fatalf("before any decision: %d/%d", before, communes)
	}
	const head = "Mã đơn vị,Nhãn hoặc nhóm,Số quyết định,Ngày quyết định,Hiệu lực từ\n"
	status, loc, _ := upload(head + "21607,Nhóm 3,15/QĐ-UBND,20/02/2026,01/03/2026\n")
	if status != 303 {
		t.Fatalf("import: %d", status)
	}
	if _, _, body := fetch(t, srv, loc, "vi", prov); !strings.Contains(body, "Đã nạp 1 dòng: 1 mới") {
		t.Errorf("no flash after import:\n%s", body)
	}
	if after, _ := count(); after != before-1 {
		t.Errorf("after the decision: %d untagged, want %d", after, before-1)
	}
	if status, _, body := upload(head + "21607,Nhóm 7,15/QĐ-UBND,20/02/2026,01/03/2026\n"); status != 422 || !strings.Contains(body, "dòng 2, cột tag") {
		t.Errorf("bad file: %d\n%s", status, body)
	}
	if status, _, _ := upload(head + "00004,Nhóm 1,15/QĐ-UBND,20/02/2026,01/03/2026\n"); status != 403 {
		t.Errorf("a Hà Nội commune in Gia Lai's file: %d, want 403", status)
	}
	var list struct {
		Communes int               `json:"communes"`
		Untagged []json.RawMessage `json:"untagged"`
	}
	st, _, body := fetch(t, srv, "/api/v1/units/untagged?set=xa-ntm-2026&unit=52", "", prov)
	if json.Unmarshal([]byte(body), &list); st != 200 || list.Communes != communes || len(list.Untagged) != before-1 {
		t.Errorf("API: %d %d/%d %s", st, len(list.Untagged), list.Communes, body)
	}
	if _, _, body := fetch(t, srv, "/units/tags?unit=52", "en", prov); !strings.Contains(body, "Communes set xa-ntm-2026 cannot place yet") {
		t.Errorf("English page")
	}
}
