package web

import (
	"net/http"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// requestLang is the language an API answer's sentences are written in: the lang query
// parameter when it names a catalog ("?lang=en"), else the page language (the ntm_lang
// cookie), else Vietnamese.
func requestLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return pageLang(r)
}
