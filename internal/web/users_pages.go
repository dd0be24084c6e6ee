package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/ntm-vn/ntm/internal/auth"
)

// The pages of the user lifecycle: /users (the accounts the signed-in user manages, with
// disable, enable, sign out everywhere and a password reset) and /me/password (one's own
// password). Both go through the API (users.go), so the rules live in one place.

func (s *Server) userPageRoutes() {
	s.mux.HandleFunc("GET /users", s.usersPage)
	s.mux.HandleFunc("POST /users/{name}", s.usersPost)
	s.mux.HandleFunc("GET /me/password", s.passwordPage)
	s.mux.HandleFunc("POST /me/password", s.passwordPost)
}

type usersData struct {
	Users        []auth.User
	Flash, Error string
}

// GET /users?done=ACTION&who=NAME
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "users.title")
	if !ok {
		return
	}
	s.renderUsers(w, r, p, http.StatusOK, p.doneFlash(r, "users.done.", r.URL.Query().Get("who")), "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, p *page, status int, flash, errMsg string) {
	p.Nav = "users"
	if p.User.user.Role.Reach(auth.ManageAccounts) == auth.Nowhere {
		s.errorPage(w, r, http.StatusForbidden, "users.error.forbidden")
		return
	}
	rec := s.forward(r, http.MethodGet, "/api/v1/users", nil)
	var body struct{ Users []auth.User }
	if rec.status != http.StatusOK || json.Unmarshal(rec.body.Bytes(), &body) != nil {
		msg, _ := apiMessage(rec)
		s.errorPage(w, r, rec.status, "users.error.api", msg)
		return
	}
	p.Data = usersData{Users: body.Users, Flash: flash, Error: errMsg}
	s.render(w, r, status, "users", p)
}

// POST /users/{name} (form: action = disable | enable | end_sessions | password, password)
func (s *Server) usersPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "users.title", 0)
	if !ok {
		return
	}
	name := r.PathValue("name")
	base := "/api/v1/users/" + url.PathEscape(name)
	var rec *recorder
	switch action := r.PostForm.Get("action"); action {
	case "disable", "enable":
		rec = s.forward(r, http.MethodPost, base+"/"+action, nil, "Content-Type", "application/json")
	case "end_sessions":
		rec = s.forward(r, http.MethodDelete, base+"/sessions", nil)
	case "password":
		b, _ := json.Marshal(map[string]string{"password": r.PostForm.Get("password")})
		rec = s.forward(r, http.MethodPost, base+"/password", b, "Content-Type", "application/json")
	default:
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return
	}
	if rec.status/100 != 2 {
		msg, _ := apiMessage(rec)
		s.renderUsers(w, r, p, rec.status, "", msg)
		return
	}
	http.Redirect(w, r, "/users?done="+url.QueryEscape(r.PostForm.Get("action"))+"&who="+url.QueryEscape(name), http.StatusSeeOther)
}

type passwordData struct{ Flash, Error string }

// GET /me/password
func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.startPage(w, r, "password.title")
	if !ok {
		return
	}
	d := passwordData{}
	if r.URL.Query().Get("done") == "1" {
		d.Flash = p.T("password.done")
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "password", p)
}

// POST /me/password (form: old, new, again)
func (s *Server) passwordPost(w http.ResponseWriter, r *http.Request) {
	p, ok := s.postForm(w, r, "password.title", 0)
	if !ok {
		return
	}
	f := r.PostForm
	if f.Get("new") != f.Get("again") {
		p.Data = passwordData{Error: p.T("password.error.again")}
		s.render(w, r, http.StatusUnprocessableEntity, "password", p)
		return
	}
	b, _ := json.Marshal(map[string]string{"old": f.Get("old"), "new": f.Get("new")})
	rec := s.forward(r, http.MethodPost, "/api/v1/me/password", b, "Content-Type", "application/json", "X-Requested-With", "XMLHttpRequest")
	if rec.status/100 != 2 {
		msg, _ := apiMessage(rec)
		p.Data = passwordData{Error: strings.TrimSpace(msg)}
		s.render(w, r, rec.status, "password", p)
		return
	}
	http.Redirect(w, r, "/me/password?done=1", http.StatusSeeOther)
}

// ManagesUsers reports whether the signed-in user manages accounts (the header's link).
func (p *page) ManagesUsers() bool {
	return p.User != nil && p.User.user.Role.Reach(auth.ManageAccounts) != auth.Nowhere
}
