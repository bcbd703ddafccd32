package review

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dossiercheck/store"
	"dossiercheck/wording"
)

// queuePage is the number of dossiers on one page of the queue.
const queuePage = 50

// queue serves the work queue: dossiers waiting for a clerk first (review
// verdicts, then rejects, then the rest), with filters, counts and pages.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, ss store.Session) {
	l := s.lang(w, r)
	q := r.URL.Query()
	f := store.QueueFilter{
		State: q.Get("state"), Status: q.Get("status"), Verdict: q.Get("verdict"),
		Procedure: q.Get("procedure"), Limit: queuePage,
	}
	if f.State == "" && !q.Has("state") {
		f.State = "waiting"
	}
	if f.State == "all" {
		f.State = ""
	}
	hasPortal := s.Store.HasPortalColumn(r.Context())
	if hasPortal {
		f.Portal = q.Get("portal")
	}
	if t, err := time.Parse(time.DateOnly, q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse(time.DateOnly, q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1) // the whole day
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	f.Offset = (pageNo - 1) * queuePage
	items, counts, err := s.Store.Queue(r.Context(), f)
	if err != nil {
		s.log().Error("queue", "err", err)
		http.Error(w, wording.UI("error.store", l), http.StatusInternalServerError)
		return
	}
	type row struct {
		store.QueueItem
		Title, StatusText, VerdictText, DecisionText string
	}
	var rows []row
	for _, it := range items {
		rows = append(rows, row{QueueItem: it, Title: wording.Procedure(it.Procedure, l),
			StatusText: wording.Status(it.Status, l), VerdictText: wording.Verdict(it.Verdict, l),
			DecisionText: wording.Verdict(it.Decision, l)})
	}
	pageURL := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "/review/?" + v.Encode()
	}
	view := map[string]any{
		"L": l, "User": ss.User, "CSRF": ss.CSRF, "Rows": rows, "Counts": counts, "Q": q,
		"State": q.Get("state"), "HasPortal": hasPortal, "Page": pageNo,
		"Verdicts": []string{"review", "reject", "accept"},
		"Statuses": []string{"received", "queued", "processing", "done", "failed"},
	}
	if pageNo > 1 {
		view["Prev"] = pageURL(pageNo - 1)
	}
	if f.Offset+len(items) < counts.Total {
		view["Next"] = pageURL(pageNo + 1)
	}
	htmlHeaders(w.Header())
	s.render(w, "queue", view)
}
