package review

import (
	"embed"
	"html/template"
	"io"

	"dossiercheck/wording"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pagesTemplate holds every page of the workspace, parsed once.
var pagesTemplate = template.Must(template.New("").Funcs(template.FuncMap{
	"ui":      func(l wording.Lang, key string) string { return wording.UI(key, l) },
	"verdict": func(v string, l wording.Lang) string { return wording.Verdict(v, l) },
	"status":  func(v string, l wording.Lang) string { return wording.Status(v, l) },
	// page gives the shared header a view's language, user and title.
	"page": func(view map[string]any, title string) map[string]any {
		return map[string]any{"L": view["L"], "User": view["User"], "CSRF": view["CSRF"], "Title": title}
	},
}).ParseFS(templateFiles, "templates/*.html"))

func (s *Server) tmpl() *template.Template { return pagesTemplate }

// render writes a page; a template error after the first byte can only be
// logged.
func (s *Server) render(w io.Writer, name string, view map[string]any) {
	if err := pagesTemplate.ExecuteTemplate(w, name, view); err != nil {
		s.log().Error("render page", "page", name, "err", err)
	}
}
