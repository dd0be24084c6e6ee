package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ntm-vn/ntm/internal/app"
	"github.com/ntm-vn/ntm/internal/auth"
	"github.com/ntm-vn/ntm/internal/criteria"
	"github.com/ntm-vn/ntm/internal/fault"
	"github.com/ntm-vn/ntm/internal/i18n"
	"github.com/ntm-vn/ntm/internal/report"
	"github.com/ntm-vn/ntm/internal/units"
)

// The reports (package report): the bulletin and the tables as downloads, from the same
// figures as GET /api/v1/progress.

func init() {
	params := []APIParam{
		{Name: "unit", Description: "unit code; none: the country"},
		{Name: "set", Description: "criteria set id; none: the commune NTM set in force"},
		{Name: "period", Description: "2026, 2026-H1, 2026-Q2, 2026-04, 2026-M8 (first 8 months) or the offices' words (Quý II/2026, 6 tháng đầu năm 2026, tháng 4/2026, 8 tháng đầu năm 2026); default: the year of as_of; figures as of its end, today while it runs"},
		{Name: "as_of", Description: "a day (YYYY-MM-DD or dd/mm/yyyy) within the period"},
		{Name: "lang", Description: "vi (default) or en"},
		{Name: "include_unapproved", Description: "1: count every assessment, drafts included (default: approved ones only, the official figures; the answer's basis says which)"},
	}
	documentAPI(map[string]APIDoc{
		"GET /api/v1/reports/bulletin": {Summary: "The bulletin (báo cáo kết quả) of a unit for a period, with the figures of GET /api/v1/progress.",
			Params:  append(params, APIParam{Name: "format", Description: "md (default), html (printable, standalone), pdf (A4), xlsx, docx (the signed document: Nghị định 30/2020 layout, editable), or json (the bulletin's data)"}),
			Returns: "the document, named in Content-Disposition with the unit and the period"},
		"GET /api/v1/reports/tables/{kind}": {Summary: "A table: progress (by unit), criteria (units × criteria, ✓/✗) or indicators (of the unit, with values and thresholds).",
			Params:  append(params, APIParam{Name: "format", Description: "md (default), html, pdf, xlsx or docx"}),
			Returns: "the document, named in Content-Disposition with the unit and the period"},
	})
}

// GET /api/v1/reports/bulletin?unit=CODE&set=ID&period=P&as_of=DATE&format=md|html|pdf|xlsx|json&lang=vi|en&include_unapproved=1
//
// The bulletin of the unit ("" the country) for the period; json gives its data, whose
// "progress" is the body of GET /api/v1/progress for the same unit, set and day.
func (s *Server) getBulletin(r *http.Request, u *auth.User) (any, error) {
	req, format, err := s.reportRequest(r, u, true)
	if err != nil {
		return nil, err
	}
	b, err := withRules(s, r, func(cat *app.Catalog) (*report.Bulletin, error) {
		return report.Build(r.Context(), report.Source{DB: s.db, Catalog: cat}, req)
	})
	if err != nil {
		return nil, reportFault(req, err)
	}
	if format == "json" {
		return b, nil
	}
	d, err := b.Document()
	if err != nil {
		return nil, err
	}
	return renderReport(d, format)
}

// GET /api/v1/reports/tables/{kind}?unit=…&set=…&period=…&as_of=…&format=…&lang=… — kind is
// progress (by unit), criteria (units × criteria) or indicators (of the unit).
func (s *Server) getReportTable(r *http.Request, u *auth.User) (any, error) {
	kind := r.PathValue("kind")
	switch kind {
	case report.TableProgress, report.TableCriteria, report.TableIndicators:
	default:
		return nil, report.UnknownTable(kind)
	}
	req, format, err := s.reportRequest(r, u, false)
	if err != nil {
		return nil, err
	}
	d, err := withRules(s, r, func(cat *app.Catalog) (*report.Document, error) {
		return report.BuildTable(r.Context(), report.Source{DB: s.db, Catalog: cat}, req, kind)
	})
	if err != nil {
		return nil, reportFault(req, err)
	}
	return renderReport(d, format)
}

// reportRequest reads and checks the parameters of a report and the user's right to read the
// unit on the report's day; on a failure it has answered.
func (s *Server) reportRequest(r *http.Request, u *auth.User, withJSON bool) (report.Request, string, error) {
	q := r.URL.Query()
	var req report.Request
	if v := q.Get("as_of"); v != "" {
		d, err := units.ReadDate(v)
		if err != nil {
			return req, "", badField("as_of", "as_of: "+err.Error())
		}
		req.AsOf = d
	}
	format := q.Get("format")
	if !(withJSON && format == "json") {
		f, err := report.CheckFormat(format)
		if err != nil {
			return req, "", badField("format", err.Error())
		}
		format = f
	}
	lang, err := report.CheckLang(q.Get("lang"))
	if err != nil {
		return req, "", badField("lang", err.Error())
	}
	per, err := report.NewPeriod(q.Get("period"), req.AsOf)
	if err != nil {
		return req, "", reportFault(req, err)
	}
	req.Unit, req.SetID, req.Period, req.Lang = q.Get("unit"), q.Get("set"), per.Text, lang
	basis, err := basisParam(q)
	if err != nil {
		return req, "", err
	}
	req.IncludeUnapproved = !basis.ApprovedOnly()
	return req, format, s.allow(r, u, auth.Read, req.Unit, per.AsOf)
}

// renderReport renders a document in format, to be answered as a file named with the unit
// and the period (see reportFile).
func renderReport(d *report.Document, format string) (any, error) {
	body, err := d.Render(format)
	return reportFile{body: body, format: format, name: d.FileName(format)}, err
}

// reportFile is a report answered as a file named name (sum: the checksum of an issued
// report's kept file, when there is one): PDF and workbooks as attachments, Markdown and
// HTML to be shown. The printable HTML may fetch nothing.
type reportFile struct {
	body              []byte
	format, name, sum string
}

func (f reportFile) write(w http.ResponseWriter, r *http.Request, status int) {
	h := w.Header()
	h.Set("Content-Type", report.ContentType(f.format))
	disposition := "inline"
	if f.format == report.FormatPDF || f.format == report.FormatXLSX || f.format == report.FormatDOCX {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", fmt.Sprintf(`%s; filename="%s"`, disposition, f.name))
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if f.sum != "" {
		h.Set("X-Checksum-Sha256", f.sum)
	}
	if f.format == report.FormatHTML {
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(f.body)
	}
}

// ---------------------------------------------------------------------------------------
// Download links on the pages

// reportLinks is what the "report-links" partial (templates/reports_links.html) shows: the
// downloads of one unit's reports for the year of the page's day, as of that day.
type reportLinks struct {
	Lang   string
	Unit   string
	Period string
	AsOf   units.Date
	// Indicators offers the unit's indicators table (a unit with assessments of its own).
	Indicators bool
}

// ReportLinks gives a page's templates the report downloads of unit:
// {{template "report-links" ($.ReportLinks .Data.Unit.Code false)}}.
func (p *page) ReportLinks(unit string, indicators bool) reportLinks {
	return reportLinks{Lang: p.Lang, Unit: unit, Period: string(p.AsOf)[:4], AsOf: p.AsOf, Indicators: indicators}
}

// T translates key.
func (l reportLinks) T(key string, args ...any) string { return i18n.T(l.Lang, key, args...) }

// Day is the links' day as the page writes it.
func (l reportLinks) Day() string { return i18n.Date(string(l.AsOf), l.Lang) }

// Href is the address of a report: path "bulletin" or "tables/KIND", in format.
func (l reportLinks) Href(path, format string) string {
	q := url.Values{}
	if l.Unit != "" {
		q.Set("unit", l.Unit)
	}
	q.Set("period", l.Period)
	q.Set("as_of", string(l.AsOf))
	q.Set("format", format)
	q.Set("lang", l.Lang)
	return "/api/v1/reports/" + path + "?" + q.Encode()
}

// reportFault is err as the request's fault: a set that cannot be used is the set
// parameter's (as in GET /api/v1/progress), a period that of the period's field.
func reportFault(req report.Request, err error) error {
	f, ok := fault.As(err)
	switch {
	case !ok:
	case f.Code == fault.InvalidValue && f.Field != "":
		return badField(f.Field, f.Message(i18n.Default))
	case f.Code == fault.InvalidValue || req.SetID != "" && criteria.IsNoSet(err, req.SetID):
		return badField("set", err.Error())
	}
	return err
}
