package resources

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

// Meeting is a meeting of a steering committee (Ban Chỉ đạo) of a unit: its day, who chaired
// it and its conclusions (kết luận), from which tasks are assigned.
type Meeting struct {
	UnitCode    string     `json:"unit"`
	Day         units.Date `json:"day"`
	Chair       string     `json:"chair"`
	Conclusions string     `json:"conclusions"`
}

// Task statuses.
const (
	TaskOpen       = "open"        // chưa thực hiện
	TaskInProgress = "in_progress" // đang thực hiện
	TaskDone       = "done"        // hoàn thành
)

// TaskStatuses lists the statuses in order.
var TaskStatuses = []string{TaskOpen, TaskInProgress, TaskDone}

// Owner kinds: a task is owned by a department (sở, ngành, phòng) named in words, or by a
// unit (a commune) named by its code.
const (
	OwnerDepartment = "department"
	OwnerUnit       = "unit"
)

// Task is a steering task: assigned by the committee of UnitCode (from a meeting, or on its
// own), owned by a department or a unit, linked to a criterion or a unit, due on a day.
type Task struct {
	MeetingID    int64      `json:"meeting_id,omitempty"`
	UnitCode     string     `json:"unit"` // the committee's unit
	Title        string     `json:"title"`
	OwnerKind    string     `json:"owner_kind"` // department | unit
	Owner        string     `json:"owner"`      // the department's name, or the unit's code
	CriterionSet string     `json:"criterion_set,omitempty"`
	Criterion    int        `json:"criterion,omitempty"`
	LinkedUnit   string     `json:"linked_unit,omitempty"`
	Assigned     units.Date `json:"assigned"` // ngày giao
	Due          units.Date `json:"due"`      // hạn hoàn thành
	Status       string     `json:"status"`
	DoneOn       units.Date `json:"done_on,omitempty"`
}

// CheckMeeting checks a meeting: a unit, a real day, a chair and conclusions.
func CheckMeeting(m Meeting) error {
	if strings.TrimSpace(m.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị của Ban Chỉ đạo", "the steering committee's unit code is missing")
	}
	if _, err := units.ParseDate(string(m.Day)); err != nil {
		return fieldErr("day", "ngày họp %q không hợp lệ (YYYY-MM-DD)", "meeting day %q is not a date (YYYY-MM-DD)", m.Day)
	}
	if strings.TrimSpace(m.Chair) == "" {
		return fieldErr("chair", "thiếu người chủ trì", "who chaired the meeting is missing")
	}
	if strings.TrimSpace(m.Conclusions) == "" {
		return fieldErr("conclusions", "thiếu kết luận của cuộc họp", "the meeting's conclusions are missing")
	}
	return nil
}

// CheckTask checks a task: a title, an owner, real days (due not before assigned), a known
// status, and a done day when done (and only then).
func CheckTask(t Task) error {
	if strings.TrimSpace(t.UnitCode) == "" {
		return fieldErr("unit", "thiếu mã đơn vị của Ban Chỉ đạo", "the steering committee's unit code is missing")
	}
	if strings.TrimSpace(t.Title) == "" {
		return fieldErr("title", "thiếu nội dung nhiệm vụ", "the task's wording is missing")
	}
	if t.OwnerKind != OwnerDepartment && t.OwnerKind != OwnerUnit {
		return fieldErr("owner_kind", "đơn vị chủ trì phải là department (sở, ngành) hoặc unit (đơn vị hành chính)", "owner_kind must be department or unit")
	}
	if strings.TrimSpace(t.Owner) == "" {
		return fieldErr("owner", "thiếu đơn vị chủ trì thực hiện", "the task's owner is missing")
	}
	for _, d := range []struct {
		field string
		day   units.Date
		opt   bool
	}{{"assigned", t.Assigned, false}, {"due", t.Due, false}, {"done_on", t.DoneOn, true}} {
		if d.opt && d.day == "" {
			continue
		}
		if _, err := units.ParseDate(string(d.day)); err != nil {
			return fieldErr(d.field, "ngày %q không hợp lệ (YYYY-MM-DD)", "day %q is not a date (YYYY-MM-DD)", d.day)
		}
	}
	if t.Due < t.Assigned {
		return fieldErr("due", "hạn hoàn thành %s trước ngày giao %s", "due %s before it was assigned on %s", t.Due, t.Assigned)
	}
	if !slices.Contains(TaskStatuses, t.Status) {
		return fieldErr("status", "tình trạng %q không có; dùng open, in_progress hoặc done", "status %q unknown; use open, in_progress or done", t.Status)
	}
	if t.Status == TaskDone && t.DoneOn == "" {
		return fieldErr("done_on", "nhiệm vụ hoàn thành cần ngày hoàn thành", "a done task needs the day it was done")
	}
	if t.Status != TaskDone && t.DoneOn != "" {
		return fieldErr("done_on", "chỉ nhiệm vụ đã hoàn thành mới có ngày hoàn thành", "only a done task has a done day")
	}
	if t.Criterion < 0 || t.Criterion > 0 && t.CriterionSet == "" {
		return fieldErr("criterion_set", "tiêu chí %d cần bộ tiêu chí", "criterion %d needs a criteria set", t.Criterion)
	}
	return nil
}

// Overdue reports whether the task is overdue on day: its due day has passed (a task due
// today is not yet overdue) and it was not done by day. A task done is never overdue after
// the day it was done, however late.
func (t Task) Overdue(day units.Date) bool {
	if t.Due == "" || t.Due >= day {
		return false
	}
	return !(t.Status == TaskDone && t.DoneOn <= day)
}

// DaysOverdue is how many days past due the task is on day (0 when not overdue).
func (t Task) DaysOverdue(day units.Date) int {
	if !t.Overdue(day) {
		return 0
	}
	a, err1 := time.Parse(time.DateOnly, string(t.Due))
	b, err2 := time.Parse(time.DateOnly, string(day))
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

// OwnerKey identifies an owner across tasks: a unit by its code, a department by its name
// folded (so "Sở Nông nghiệp và Môi trường" and "sở nông nghiệp và môi trường" are one).
func (t Task) OwnerKey() string {
	if t.OwnerKind == OwnerUnit {
		return "unit:" + t.Owner
	}
	return "department:" + units.Fold(strings.Join(strings.Fields(t.Owner), " "))
}

// OwnerTasks is the overdue tasks of one owner.
type OwnerTasks[T any] struct {
	Key   string `json:"key"`
	Owner string `json:"owner"` // as the first task names it
	Kind  string `json:"owner_kind"`
	Count int    `json:"count"`
	Tasks []T    `json:"tasks"`
}

// ByOwner groups tasks per owner, the owner with most tasks first (then by name); task gives
// each element's Task.
func ByOwner[T any](ts []T, task func(T) Task) []OwnerTasks[T] {
	idx := map[string]int{}
	var out []OwnerTasks[T]
	for _, x := range ts {
		t := task(x)
		k := t.OwnerKey()
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, OwnerTasks[T]{Key: k, Owner: t.Owner, Kind: t.OwnerKind})
		}
		out[i].Tasks = append(out[i].Tasks, x)
		out[i].Count++
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Owner < out[j].Owner
	})
	return out
}
