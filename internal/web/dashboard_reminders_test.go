package web_test

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/auth"
)

// Acceptance (issue 9): a task due yesterday and not done is overdue on its owner's
// dashboard; another commune's dashboard does not show it. The dashboard also offers the
// report downloads of the unit it shows.
func TestDashboard_OwnerSeesOverdueTasks(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	seedResources(t, db)
	owner := session(t, srv, db, "xa.nhon-chau", auth.RoleCommune, "21607")
	_, _, body := fetch(t, srv, "/dashboard?unit=21607", "vi", owner)
	i := strings.Index(body, "Việc quá hạn cần nhắc")
	if i < 0 || !strings.Contains(body[i:], "Hoàn thành chợ Nhơn Châu") || !strings.Contains(body[i:], "quá 1 ngày") {
		t.Errorf("the owner's dashboard lacks the overdue task:\n%s", body)
	}
	_, _, en := fetch(t, srv, "/dashboard?unit=21607", "en", owner)
	if !strings.Contains(en, "Overdue tasks") || !strings.Contains(en, "overdue") || strings.Contains(en, "1 days") {
		t.Errorf("English dashboard lacks the overdue task")
	}
	other := session(t, srv, db, "phuong.pleiku", auth.RoleCommune, "23575")
	if _, _, body := fetch(t, srv, "/dashboard?unit=23575", "vi", other); strings.Contains(body, "Hoàn thành chợ Nhơn Châu") {
		t.Errorf("another commune's dashboard shows the task")
	}
	tinh := session(t, srv, db, "tinh.gia-lai", auth.RoleProvince, "52")
	if _, _, body := fetch(t, srv, "/dashboard?unit=52", "vi", tinh); !strings.Contains(body, "/api/v1/reports/bulletin") {
		t.Errorf("the province dashboard offers no bulletin download")
	}
}
