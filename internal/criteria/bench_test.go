package criteria

import (
	"fmt"
	"math/rand"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ntm-vn/ntm/internal/units"
)

const nationCommunes = 10600

// nangCaoShape is a synthetic set with the shape of xa-nang-cao-2021 (19 criteria, 75
// indicators, thresholds by region): percent indicators with regional overrides, đạt/không
// đạt indicators, quantities, and three indicators computed by formulas.
func nangCaoShape() *Set {
	s := &Set{ID: "bench-nang-cao", Title: "bench", Level: "commune", Tier: TierNangCao, VariesBy: VariesRegion,
		RegionFromTags: map[string]string{"dac-biet-kho-khan": units.RegionTDMNPB}}
	code := 0
	for n := 1; n <= 19; n++ {
		c := Criterion{Number: n, Name: fmt.Sprintf("Tiêu chí %d", n)}
		per := 4
		if n == 19 {
			per = 3
		}
		for j := 1; j <= per; j++ {
			code++
			in := Indicator{Code: fmt.Sprintf("%d.%d", n, j), Name: "chỉ tiêu", Verified: code%3 != 0}
			switch code % 4 {
			case 0:
				in.Kind, in.Op, in.Unit = KindPercent, OpAtLeast, "%"
				in.Threshold = ptr(Number(80))
				for i, r := range units.Regions {
					in.By = append(in.By, Override{Key: r.Code, Value: Number(float64(70 + 3*i))})
				}
			case 1:
				in.Kind, in.Op = KindBool, OpEqual
				in.Threshold = ptr(Bool(true))
			case 2:
				in.Kind, in.Op, in.Unit = KindNumber, OpAtLeast, "triệu đồng/người/năm"
				in.Threshold = ptr(Number(50))
				in.By = Overrides{{Key: "DBSH", Value: Number(60)}, {Key: "DNB", Value: Number(70)}}
			case 3:
				in.Kind, in.Op, in.Unit = KindPercent, OpAtMost, "%"
				in.Threshold = ptr(Number(5))
			}
			if code == 10 || code == 40 || code == 70 {
				in.Kind, in.Op, in.Unit, in.Threshold, in.By = KindPercent, OpAtLeast, "%", ptr(Number(80)), nil
				in.Formula = fmt.Sprintf("100 * dat_%d / tong_%d", code, code)
			}
			c.Indicators = append(c.Indicators, in)
		}
		s.Criteria = append(s.Criteria, c)
	}
	return s
}

// nationValues makes one values map per commune, deterministically, most indicators met.
func nationValues(s *Set, n int) ([]Unit, []Values) {
	rng := rand.New(rand.NewSource(42))
	us := make([]Unit, n)
	vs := make([]Values, n)
	for i := range us {
		us[i] = Unit{Code: fmt.Sprintf("%05d", i), Region: units.Regions[i%7].Code, Level: "commune"}
		if i%50 == 0 {
			us[i].Tags = []string{"dac-biet-kho-khan"}
		}
		v := Values{}
		for _, c := range s.Criteria {
			for _, in := range c.Indicators {
				if rng.Intn(100) < 2 {
					continue // left out
				}
				if in.Formula != "" {
					f, _ := compileFormula(in.Formula)
					v[f.vars[0]] = Number(float64(80 + rng.Intn(20)))
					v[f.vars[1]] = Number(100)
					continue
				}
				switch in.Kind {
				case KindBool:
					v[in.Code] = Bool(rng.Intn(100) < 95)
				case KindPercent:
					if in.Op == OpAtMost {
						v[in.Code] = Number(float64(rng.Intn(800)) / 100)
					} else {
						v[in.Code] = Number(float64(60 + rng.Intn(41)))
					}
				default:
					v[in.Code] = Number(float64(40 + rng.Intn(40)))
				}
			}
			if rng.Intn(100) < 10 {
				v[DirectKey(c.Number)] = Bool(true)
			}
		}
		vs[i] = v
	}
	return us, vs
}

// BenchmarkEvaluateNation evaluates every commune of the country (10,600) against a set of
// xa-nang-cao-2021's shape (19 criteria, 75 indicators, thresholds by region, three formulas);
// one op is one full pass. "vector" passes each commune's values in dense form
// (Evaluator.Vector, as a national rollup builds them from the database); "map" passes a
// Values map per commune; "new-result" also allocates a Result per commune; "read-maps" only
// walks every commune's map once, judging nothing: the floor under "map".
func BenchmarkEvaluateNation(b *testing.B) {
	type mode int
	const (
		vector mode = iota
		byMap
		newResult
		readOnly
	)
	run := func(b *testing.B, s *Set, m mode) {
		ev, err := Compile(s)
		if err != nil {
			b.Fatal(err)
		}
		us, vs := nationValues(s, nationCommunes)
		vecs := make([][]Value, len(vs))
		for i := range vs {
			vecs[i] = ev.Vector(vs[i])
		}
		var r Result
		met := 0
		// The setup's garbage is collected before timing: its collection is not the
		// evaluation's, and the timed loop itself allocates almost nothing.
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := cpuTime()
		for b.Loop() {
			met = 0
			for i := range us {
				switch m {
				case vector:
					ev.EvaluateVector(&r, us[i], vecs[i], Options{})
				case byMap:
					ev.EvaluateInto(&r, us[i], vs[i], Options{})
				case newResult:
					r = *ev.Evaluate(us[i], vs[i], Options{})
				case readOnly:
					r.CriteriaMet = 0
					for _, v := range vs[i] {
						r.CriteriaMet += int(v.Kind)
					}
				}
				met += r.CriteriaMet
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nationCommunes, "ns/commune")
		// CPU time (user + system, every thread) per pass: on a shared machine the wall time
		// also counts waiting for a core.
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		if met == 0 && s.ID == "bench-nang-cao" {
			b.Fatal("nothing met")
		}
	}
	b.Run("shape=nang-cao-75,vector", func(b *testing.B) { run(b, nangCaoShape(), vector) })
	b.Run("shape=nang-cao-75,map", func(b *testing.B) { run(b, nangCaoShape(), byMap) })
	b.Run("shape=nang-cao-75,new-result", func(b *testing.B) { run(b, nangCaoShape(), newResult) })
	b.Run("shape=nang-cao-75,read-maps", func(b *testing.B) { run(b, nangCaoShape(), readOnly) })
	b.Run("shipped=xa-nang-cao-2021,vector", func(b *testing.B) { run(b, shippedSet(b, "xa-nang-cao-2021"), vector) })
	b.Run("shipped=xa-ntm-2021,vector", func(b *testing.B) { run(b, shippedSet(b, "xa-ntm-2021"), vector) })
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestNangCaoShape_HasTheBenchmarkShape(t *testing.T) {
	s := nangCaoShape()
	if st := s.Stats(); st.Criteria != 19 || st.Indicators != 75 {
		t.Fatalf("%+v", st)
	}
	us, vs := nationValues(s, 100)
	ev, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := range us {
		r := ev.Evaluate(us[i], vs[i], Options{})
		total += r.IndicatorsMet
		for _, v := range r.Indicators {
			if v.Status == StatusError {
				t.Fatalf("%s: %s", v.Code, v.ReasonEN())
			}
		}
	}
	if total < 100*50 {
		t.Errorf("synthetic values should meet most indicators: %d", total)
	}
}
