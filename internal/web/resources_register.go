package web

import (
	"context"
	"net/http"

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
	list       func(s *Server, w http.ResponseWriter, r *http.Request, u *auth.User)
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
	s.mux.HandleFunc("GET "+g.path, s.authed(func(w http.ResponseWriter, r *http.Request, u *auth.User) { g.list(s, w, r, u) }))
	s.mux.HandleFunc("POST "+g.path, s.authed(saveRoute(s, false, g.created, save)))
	if g.importKind != "" {
		s.mux.HandleFunc("POST "+g.path+"/import", s.authed(s.importer(g.importKind)))
	}
	s.mux.HandleFunc("GET "+g.path+"/{id}", s.authed(g.getOne(s)))
	s.mux.HandleFunc("PUT "+g.path+"/{id}", s.authed(saveRoute(s, true, http.StatusOK, save)))
	s.mux.HandleFunc("DELETE "+g.path+"/{id}", s.authed(g.deleteOne(s)))
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

func (g *apiRegister[T, R]) getOne(s *Server) func(http.ResponseWriter, *http.Request, *auth.User) {
	return func(w http.ResponseWriter, r *http.Request, u *auth.User) {
		v, err := g.load(s, r, u, auth.Read)
		var out any = v
		if err == nil && g.show != nil {
			out, err = g.show(s, r, v)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (g *apiRegister[T, R]) deleteOne(s *Server) func(http.ResponseWriter, *http.Request, *auth.User) {
	return func(w http.ResponseWriter, r *http.Request, u *auth.User) {
		_, err := g.load(s, r, u, g.del)
		if err == nil {
			id, _ := resID(r, "id")
			err = g.remove(s.db, r.Context(), u.Username, id)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
