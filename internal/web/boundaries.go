package web

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/ntm-vn/ntm/data"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/units"
)

// Boundaries for the map, from data/boundaries (post-reform units only: the source has no
// GIS data before 1 July 2025). The provinces file is served as shipped; the communes of one
// province are cut from the national commune layer as a TopoJSON of their own that keeps
// only the arcs they use, so a province map loads tens of kilobytes, not 3.7 MB.

// boundariesFrom is the first day the shipped boundaries describe.
const boundariesFrom units.Date = "2025-07-01"

// boundaryCache is how long a browser may keep a boundary file without asking again; the
// files change only with a new release, and the entity tag settles it after that. Private:
// like the units API, the boundaries are for signed-in users.
const boundaryCache = "private, max-age=86400"

var provinceBoundaries = sync.OnceValues(func() (*staticFile, error) {
	b, err := data.FS.ReadFile("boundaries/provinces-2025.topo.json")
	if err != nil {
		return nil, err
	}
	return jsonFile(b), nil
})

func jsonFile(b []byte) *staticFile {
	sum := sha256.Sum256(b)
	// The default level: nearly the size of the best for these files, in a third of the time.
	return &staticFile{body: b, gz: gzipBytes(b, gzip.DefaultCompression), etag: `"` + hex.EncodeToString(sum[:12]) + `"`,
		ctype: "application/json; charset=utf-8"}
}

// topology is a TopoJSON document; arcs and transform are passed through untouched.
type topology struct {
	Type      string                    `json:"type"`
	Transform json.RawMessage           `json:"transform,omitempty"`
	BBox      json.RawMessage           `json:"bbox,omitempty"`
	Objects   map[string]topoCollection `json:"objects"`
	Arcs      []json.RawMessage         `json:"arcs"`
}

type topoCollection struct {
	Type       string         `json:"type"`
	Geometries []topoGeometry `json:"geometries"`
}

type topoGeometry struct {
	Type       string            `json:"type"`
	Arcs       json.RawMessage   `json:"arcs"`
	Properties map[string]string `json:"properties"`
}

// communeLayer is the national commune layer, parsed on first use, and the per-province
// subsets made from it so far.
var communeLayer = struct {
	once   sync.Once
	err    error
	topo   topology
	mu     sync.Mutex
	subset map[string]*staticFile
}{subset: map[string]*staticFile{}}

func communeBoundaries(province string) (*staticFile, error) {
	c := &communeLayer
	c.once.Do(func() {
		b, err := data.FS.ReadFile("boundaries/communes-2025.topo.json")
		if err != nil {
			c.err = err
			return
		}
		c.err = json.Unmarshal(b, &c.topo)
	})
	if c.err != nil {
		return nil, c.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.subset[province]; ok {
		return f, nil
	}
	sub, err := subsetTopology(c.topo, "communes", func(g topoGeometry) bool { return g.Properties["province_code"] == province })
	if err != nil {
		return nil, err
	}
	if len(sub.Objects["communes"].Geometries) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(sub)
	if err != nil {
		return nil, err
	}
	f := jsonFile(b)
	c.subset[province] = f
	return f, nil
}

// subsetTopology returns a topology with only the geometries of object that keep selects,
// and only the arcs they use, renumbered in order of first use. (In TopoJSON an arc index i
// refers to arc i, and ^i, that is -i-1, to arc i reversed.)
func subsetTopology(t topology, object string, keep func(topoGeometry) bool) (topology, error) {
	out := topology{Type: t.Type, Transform: t.Transform, Objects: map[string]topoCollection{}}
	renumber := map[int]int{}
	mapArc := func(i int) (int, error) {
		old := i
		if i < 0 {
			old = ^i
		}
		if old >= len(t.Arcs) {
			return 0, fmt.Errorf("arc %d out of range (%d arcs)", old, len(t.Arcs))
		}
		n, ok := renumber[old]
		if !ok {
			n = len(out.Arcs)
			renumber[old] = n
			out.Arcs = append(out.Arcs, t.Arcs[old])
		}
		if i < 0 {
			return ^n, nil
		}
		return n, nil
	}
	col := topoCollection{Type: "GeometryCollection", Geometries: []topoGeometry{}}
	for _, g := range t.Objects[object].Geometries {
		if !keep(g) {
			continue
		}
		var err error
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err = json.Unmarshal(g.Arcs, &rings); err == nil {
				if err = mapRings(rings, mapArc); err == nil {
					g.Arcs, err = json.Marshal(rings)
				}
			}
		case "MultiPolygon":
			var polys [][][]int
			if err = json.Unmarshal(g.Arcs, &polys); err == nil {
				for _, rings := range polys {
					if err = mapRings(rings, mapArc); err != nil {
						break
					}
				}
				if err == nil {
					g.Arcs, err = json.Marshal(polys)
				}
			}
		default:
			err = fmt.Errorf("geometry type %q not supported", g.Type)
		}
		if err != nil {
			return topology{}, fmt.Errorf("boundaries: %s %s: %w", object, g.Properties["code"], err)
		}
		col.Geometries = append(col.Geometries, g)
	}
	out.Objects[object] = col
	return out, nil
}

func mapRings(rings [][]int, mapArc func(int) (int, error)) error {
	for _, ring := range rings {
		for k, a := range ring {
			n, err := mapArc(a)
			if err != nil {
				return err
			}
			ring[k] = n
		}
	}
	return nil
}

// boundaryRequest checks that a signed-in user asks (401 otherwise), and the optional as_of
// parameter: the shipped boundaries describe the units from 1 July 2025; before that there
// are none (and none are faked).
func (s *Server) boundaryRequest(w http.ResponseWriter, r *http.Request) bool {
	if s.signedIn(w, r) == nil {
		return false
	}
	day, err := asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	if day < boundariesFrom {
		s.fail(w, r, &fault.Error{Code: fault.NoBoundaries, Text: "no boundaries before " + string(boundariesFrom) + ": the source has no GIS data for the units before the 1 July 2025 reorganisation", Field: "as_of"})
		return false
	}
	return true
}

// GET /api/v1/boundaries/provinces[?as_of=DATE] — TopoJSON, object "provinces" (34).
func (s *Server) provinceBoundaries(w http.ResponseWriter, r *http.Request) {
	if !s.boundaryRequest(w, r) {
		return
	}
	f, err := provinceBoundaries()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	serveBytes(w, r, f, boundaryCache)
}

// GET /api/v1/boundaries/communes?province=CODE[&as_of=DATE] — TopoJSON, object
// "communes": the communes of one province.
func (s *Server) communeBoundaries(w http.ResponseWriter, r *http.Request) {
	if !s.boundaryRequest(w, r) {
		return
	}
	province := r.URL.Query().Get("province")
	if province == "" {
		s.fail(w, r, &fault.Error{Code: fault.Invalid, Text: "province is required (a province code, e.g. 01)", Field: "province"})
		return
	}
	f, err := communeBoundaries(province)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		s.fail(w, r, &fault.Error{Code: fault.NotFound, Text: "no commune boundaries for province " + province, Field: "province"})
		return
	}
	serveBytes(w, r, f, boundaryCache)
}
