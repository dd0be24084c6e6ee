package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/units"
)

// apiRegister is a register as the API serves it: under path, a list, an entry added
// (POST), read, changed (PUT) and deleted by id, and an import of a list when importKind is
// set. A register is this struct, the store's methods and the entity's own checks; routes
// binds them all, so that a new register is one line of routing.
type apiRegister[T, R any] struct {
	path string
	// created is the status of a POST: 201, or 200 where an entry replaces the unit's entry.
	created    int
	importKind string // "": no import
	list       func(s *Server, r *http.Request, u *auth.User) (any, error)
	// show is what GET path/{id} answers of an entry; nil: the entry itself.
	show func(s *Server, r *http.Request, v R) (any, error)
	save func(s *Server, r *http.Request, u *auth.User, id int64, v T) (R, error)
	one  func(db *store.DB, ctx context.Context, id int64) (R, error)
	// remove deletes an entry; del is the right it needs on the entry's unit.
	remove func(db *store.DB, ctx context.Context, actor string, id int64) error
	del    auth.Action
	// unit is the unit an entry is about and the day that names it, where rights are checked.
	unit func(R) (string, units.Date)
	// allow, when set, checks rights instead of action on unit (an entry with two units).
	allow func(s *Server, r *http.Request, u *auth.User, action auth.Action, v R) error
}

// routes binds the register's routes.
func (g *apiRegister[T, R]) routes(s *Server) {
	save := func(r *http.Request, u *auth.User, id int64, v T) (R, error) { return g.save(s, r, u, id, v) }
	s.mux.HandleFunc("GET "+g.path, s.api(func(r *http.Request, u *auth.User) (any, error) { return g.list(s, r, u) }))
	s.mux.HandleFunc("POST "+g.path, saveRoute(s, false, g.created, save))
	if g.importKind != "" {
		s.mux.HandleFunc("POST "+g.path+"/import", s.api(s.importer(g.importKind)))
	}
	s.mux.HandleFunc("GET "+g.path+"/{id}", s.api(g.getOne(s)))
	s.mux.HandleFunc("PUT "+g.path+"/{id}", saveRoute(s, true, http.StatusOK, save))
	s.mux.HandleFunc("DELETE "+g.path+"/{id}", s.apiStatus(http.StatusNoContent, g.deleteOne(s)))
}

// load reads the entry of the path's {id} and checks action on it.
func (g *apiRegister[T, R]) load(s *Server, r *http.Request, u *auth.User, action auth.Action) (R, error) {
	var zero R
	id, err := resID(r, "id")
	if err != nil {
		return zero, err
	}
	v, err := g.one(s.db, r.Context(), id)
	if err != nil {
		return v, err
	}
	if g.allow != nil {
		return v, g.allow(s, r, u, action, v)
	}
	code, day := g.unit(v)
	return v, s.allow(r, u, action, code, day)
}

func (g *apiRegister[T, R]) getOne(s *Server) apiFunc {
	return func(r *http.Request, u *auth.User) (any, error) {
		v, err := g.load(s, r, u, auth.Read)
		if err != nil || g.show == nil {
			return v, err
		}
		return g.show(s, r, v)
	}
}

func (g *apiRegister[T, R]) deleteOne(s *Server) apiFunc {
	return func(r *http.Request, u *auth.User) (any, error) {
		if _, err := g.load(s, r, u, g.del); err != nil {
			return nil, err
		}
		id, _ := resID(r, "id")
		return nil, g.remove(s.db, r.Context(), u.Username, id)
	}
}

// saveRoute serves a register's POST (withID false: a new entry, answered with created;
// funding answers 200, as an entry replaces the unit's entry of the year) and PUT /{id}
// (withID true: 200): it decodes the body, lets save check the rights and store it, and
// answers the stored entry.
func saveRoute[T, R any](s *Server, withID bool, created int, save func(*http.Request, *auth.User, int64, T) (R, error)) http.HandlerFunc {
	status := created
	if withID {
		status = http.StatusOK
	}
	return s.apiStatus(status, func(r *http.Request, u *auth.User) (any, error) {
		var id int64
		if withID {
			var err error
			if id, err = resID(r, "id"); err != nil {
				return nil, err
			}
		}
		var v T
		if err := readJSON(r, &v); err != nil {
			return nil, err
		}
		return save(r, u, id, v)
	})
}

func resID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		return 0, store.ErrNotFound
	}
	return id, nil
}
