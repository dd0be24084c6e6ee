package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ntm-vn/ntm/internal/assessment"
	"github.com/ntm-vn/ntm/internal/auth"
)

// TestBrowser_QueueWalk (issue 15, "Checked by"): two communes' officers have submitted; a
// province officer goes from the dashboard's count of submitted assessments to the queue
// filtered to them, ticks both and verifies them after a confirmation that lists them; a
// second province officer opens the queue from the header, finds them verified and approves
// them together. Verify and approve are by different people, neither of whom entered them.
func TestBrowser_QueueWalk(t *testing.T) {
	t.Parallel()
	srv, db := pageServer(t)
	ctx := context.Background()
	communes := ruralCommunes(t, db, "01", "2026-06-30")[:2]
	var ids []int64
	for _, c := range communes {
		who := "xa." + c.Code
		newUser(t, db, who, auth.RoleCommune, c.Code, testPassword)
		id := seedAssessment(t, db, who, c.Code, "xa-ntm-2026", "2026-Q2", map[string]string{"TC1": "true"})
		a, _ := db.Assessment(ctx, id)
		if _, err := db.ChangeStatus(ctx, who, id, a.Version, assessment.Submit, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	newUser(t, db, "tinh.thamtra", auth.RoleProvince, "01", testPassword)
	newUser(t, db, "tinh.duyet", auth.RoleProvince, "01", testPassword)
	b := newBrowserFor(t, srv, 3*time.Minute)

	// ticks every row of a group that may be moved in bulk, then presses the bulk button and
	// checks the confirmation lists both communes and has moved nothing yet.
	bulk := func(group, action, question string, before assessment.Status) {
		t.Helper()
		rows := fmt.Sprintf(`#group-%s input[name="item"]`, group)
		b.waitFor("the "+group+" rows", fmt.Sprintf(`document.querySelectorAll('%s').length === %d`, rows, len(ids)))
		for _, id := range ids {
			b.do(fmt.Sprintf("tick %d", id), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#group-%s #pick-%d`, group, id))))
		}
		if n := eval[int](b, fmt.Sprintf(`document.querySelectorAll('%s:checked').length`, rows)); n != len(ids) {
			t.Fatalf("%d rows ticked, want %d", n, len(ids))
		}
		b.do(action, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#queue-form button[name="action"][value="%s"]`, action))))
		b.waitFor("the confirmation", `!!document.getElementById('confirm-bulk')`)
		confirm := b.text(`document.getElementById('confirm').textContent`)
		if !strings.Contains(confirm, question) {
			t.Errorf("confirmation %q lacks %q", confirm, question)
		}
		for _, c := range communes {
			if !strings.Contains(confirm, c.FullName) {
				t.Errorf("confirmation %q does not list %s", confirm, c.FullName)
			}
		}
		for _, id := range ids {
			if a, _ := db.Assessment(ctx, id); a.Status != before {
				t.Fatalf("before confirming, assessment %d is %s, want %s", id, a.Status, before)
			}
		}
		b.shot(action + "-confirm")
		b.do("confirm "+action, chromedp.Click(chromedp.ID("confirm-bulk")))
		b.waitFor(action+" done", fmt.Sprintf(`location.search.includes('done=%s') && !!document.querySelector('.flash')`, action))
	}
	signOut := func() {
		t.Helper()
		b.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/sign-out"] button`)))
		b.waitFor("the sign-in page", `location.pathname === '/sign-in'`)
	}

	// A: from the dashboard's count of submitted assessments to the queue filtered to them.
	b.signIn("tinh.thamtra")
	b.open("/dashboard?unit=01&set=xa-ntm-2026")
	link := `#dashboard-statuses a[data-status-link][href*="status=submitted"]`
	b.waitFor("the count of submitted as a link", fmt.Sprintf(`!!document.querySelector('%s')`, link))
	if label := b.text(fmt.Sprintf(`document.querySelector('%s').textContent`, link)); !strings.HasPrefix(label, "2 ") {
		t.Errorf("the dashboard's count of submitted: %q, want 2", label)
	}
	b.do("click the count", chromedp.Click(chromedp.CSS(link)))
	b.waitFor("the queue of submitted", `location.pathname === '/assessments' && new URLSearchParams(location.search).get('status') === 'submitted' && !!document.getElementById('group-submitted')`)
	if sel := b.text(`document.getElementById('q-status').value`); sel != "submitted" {
		t.Errorf("the queue's status filter: %q, want submitted", sel)
	}
	if groups := eval[int](b, `document.querySelectorAll('.queue-group').length`); groups != 1 {
		t.Errorf("the filtered queue shows %d groups, want only the submitted one", groups)
	}
	b.shot("queue-submitted")
	bulk("submitted", "verify", "Xác nhận thẩm tra 2 phiếu sau?", assessment.Submitted)
	if flash := b.text(`document.querySelector('.flash').textContent`); !strings.Contains(flash, "Đã xác nhận thẩm tra 2 phiếu.") {
		t.Errorf("after verifying: %q", flash)
	}
	for _, id := range ids {
		if a, _ := db.Assessment(ctx, id); a.Status != assessment.Verified {
			t.Fatalf("after verifying, assessment %d is %s", id, a.Status)
		}
	}
	signOut()

	// B: the header's count leads to the queue, whose verified group B approves.
	b.signIn("tinh.duyet")
	b.do("open the queue from the header", chromedp.Click(chromedp.ID("queue-count")))
	b.waitFor("the queue", `location.pathname === '/assessments' && !!document.getElementById('group-verified')`)
	b.shot("queue-verified")
	bulk("verified", "approve", "Phê duyệt 2 phiếu sau?", assessment.Verified)
	if flash := b.text(`document.querySelector('.flash').textContent`); !strings.Contains(flash, "Đã phê duyệt 2 phiếu.") {
		t.Errorf("after approving: %q", flash)
	}
	b.waitFor("the empty queue", `!!document.getElementById('queue-empty')`)
	for _, id := range ids {
		if a, _ := db.Assessment(ctx, id); a.Status != assessment.Approved {
			t.Errorf("assessment %d is %s, want approved", id, a.Status)
		}
	}
	b.shot("approved")
}
