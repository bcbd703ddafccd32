package forms

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"dossiercheck/doctext"
	"dossiercheck/fixtures"
	"dossiercheck/scan"
)

// Hand-made OCR pages: each word 12 px a character wide and 30 px high,
// words of a cell 12 px apart, cells where the test puts them.
type at struct {
	x    int
	text string
}

const wordH = 30

func pageOf(conf float64, rows map[int][]at) doctext.Page {
	var lines []doctext.Line
	for y := 0; y < 4000; y++ {
		cells, ok := rows[y]
		if !ok {
			continue
		}
		var ws []doctext.Word
		for _, c := range cells {
			x := c.x
			for _, w := range strings.Fields(c.text) {
				n := len([]rune(w)) * 12
				ws = append(ws, doctext.Word{Text: w, Confidence: conf, Box: image.Rect(x, y, x+n, y+wordH)})
				x += n + 12
			}
		}
		lines = append(lines, doctext.LineFromWords(ws))
	}
	return doctext.Page{Number: 1, Source: doctext.FromOCR, Lines: lines, MeanConfidence: conf, Width: 2480, Height: 3508}
}

func f02(t *testing.T) Schema {
	s, ok := For("f02_form")
	if !ok {
		t.Fatal("no F02 schema")
	}
	return s
}

// The schemas are parsed once: what one caller does to its copy, the
// next does not see.
func TestSchemaCopies(t *testing.T) {
	s := f02(t)
	s.Fields[0].Labels[0], s.Sections[0].Headings[0] = "changed", "changed"
	s.Fields = s.Fields[:1]
	again := f02(t)
	if len(again.Fields) < 2 || again.Fields[0].Labels[0] == "changed" || again.Sections[0].Headings[0] == "changed" {
		t.Errorf("a caller's change reached the schema: %+v", again.Fields[0])
	}
}

func TestSchemasValid(t *testing.T) {
	if _, err := schemas(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"f02_form", "cerfa_14004", "cerfa_14880"} {
		if _, ok := For(k); !ok {
			t.Errorf("no schema for %s", k)
		}
	}
}

// The guide's birth date is the guide's, never the candidate's: on an M36
// F02 whose candidate's birth date is missing or unreadable, the guide's
// printed below stays guide1_naissance and the candidate's is empty or
// doubtful.
func TestGuideBirthNeverCandidates(t *testing.T) {
	s := f02(t)
	rows := func(candidateBirth string) map[int][]at {
		return map[int][]at{
			100: {{200, "CANDIDAT"}},
			160: {{200, "Nom et prénom :"}, {900, "DUPONT Jean"}},
			220: {{200, "Date de naissance :"}, {900, candidateBirth}},
			280: {{200, "GUIDE 1"}},
			340: {{200, "Nom et prénom :"}, {900, "DUPONT Marie"}},
			400: {{200, "Date de naissance : 10/02/1975"}},
		}
	}
	tests := []struct {
		name, written string
		want          string
		doubt         bool
	}{
		{"both written", "03/02/2000", "03/02/2000", false},
		{"candidate's left empty", "", "", false},
		{"candidate's unreadable", "03 /2 /20XX", "03 /2 /20XX", true},
	}
	for _, tt := range tests {
		v := FromPage(s, []doctext.Page{pageOf(92, rows(tt.written))}, nil)
		if g := v["guide1_naissance"]; g.Text != "10/02/1975" || g.Doubt != "" {
			t.Errorf("%s: guide1_naissance %+v", tt.name, g)
		}
		c := v["candidat_naissance"]
		if c.Text != tt.want || (c.Doubt != "") != tt.doubt {
			t.Errorf("%s: candidat_naissance %+v, want %q doubtful %v", tt.name, c, tt.want, tt.doubt)
		}
		for _, d := range s.Dates(v) {
			if d.Role == RoleBirth && d.Key != "candidat_naissance" {
				t.Errorf("%s: %s has the birth role", tt.name, d.Key)
			}
			if d.Role == RoleBirth && d.Date.Year() == 1975 {
				t.Errorf("%s: the guide's birth date given as the candidate's", tt.name)
			}
		}
	}
}

// Labels pair with the value beside them, the value below them, or
// nothing when the next thing is another label; fields print in any
// section order.
func TestLabelsAndValues(t *testing.T) {
	s := f02(t)
	page := pageOf(90, map[int][]at{
		60:  {{200, "PERMIS DE CONDUIRE PROVISOIRE F02"}},
		100: {{200, "PARTIE RÉSERVÉE AU CENTRE D'EXAMEN"}},
		160: {{200, "Réussite de l'examen théorique le"}},
		200: {{210, "12/05/2025"}},
		260: {{200, "Identité du candidat"}},
		320: {{200, "1. Nom, prénom :"}, {700, "LEFÈVRE Hélène"}},
		380: {{200, "2. Né(e) le :"}, {700, "30/11/1985"}},
		440: {{200, "3. Numéro de registre national :"}},
		500: {{200, "4. Rue et numéro :"}, {700, "4 allée des Chênes"}},
		560: {{200, "Déclaration du candidat"}},
		// One cell for two fields, its short label misread « re: ».
		620: {{200, "Fait à : Namur re: 02/11/2026"}},
		680: {{200, "Le candidat certifie l'exactitude des données"}},
	})
	v := FromPage(s, []doctext.Page{page}, nil)
	for key, want := range map[string]string{
		"theorie_date": "12/05/2025", "candidat_nom_prenom": "LEFÈVRE Hélène", "candidat_naissance": "30/11/1985",
		"candidat_rrn": "", "candidat_adresse": "4 allée des Chênes", "demande_lieu": "Namur", "demande_date": "02/11/2026",
	} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
	// The guide sections are not printed: their fields are doubtful, not
	// empty, and none is filled from the candidate's.
	if g := v["guide1_nom_prenom"]; g.Doubt == "" || g.Text != "" {
		t.Errorf("guide1_nom_prenom %+v", g)
	}
	dates := map[string]string{}
	for _, d := range s.Dates(v) {
		dates[d.Role] = d.Date.Format("2006-01-02")
	}
	if dates[RoleBirth] != "1985-11-30" || dates[RoleExam] != "2025-05-12" || dates[RoleRequest] != "2026-11-02" {
		t.Errorf("dates %v", dates)
	}
	if name, _, ok := s.Name(v); !ok || name != "LEFÈVRE Hélène" {
		t.Errorf("name %q %v", name, ok)
	}
}

// A short label whose colon OCR joined to it as a letter, read with low
// confidence (« Le : » read « Les » at 49), is still the label; the same
// word read clearly is a word, not a label.
func TestShortLabelColonMisread(t *testing.T) {
	s := f02(t)
	for _, tt := range []struct {
		conf       float64
		date, lieu string
	}{
		{49, "03/11/2026", "Namur"},
		// Read clearly, « Les » is a word, not the label; the date is
		// then the section's one unlabelled date (TestUnlabelledDate).
		{95, "03/11/2026", "Namur"},
	} {
		page := pageOf(95, map[int][]at{
			100: {{200, "JE SOUSSIGNÉ(E)"}},
			160: {{200, "Fait à : Namur"}, {900, "Les"}, {1100, "03/11/2026"}},
		})
		page.Lines[1].Words[4].Confidence = tt.conf // "Les"
		v := FromPage(s, []doctext.Page{page}, nil)
		if d := v["demande_date"]; d.Text != tt.date || (tt.date != "") != (d.Doubt == "") {
			t.Errorf("« Les » at %v: demande_date %+v, want %q", tt.conf, d, tt.date)
		}
		if got := v["demande_lieu"].Text; got != tt.lieu {
			t.Errorf("« Les » at %v: demande_lieu %q, want %q", tt.conf, got, tt.lieu)
		}
	}
}

// A date label not read at all (« Le : » read « Ées » at 22) leaves the
// one date on the line of another label of its section, that no label
// holds, as the field's value; a place before it does not take it. Two
// such dates, one read unsurely, or one on a line of its own leave the
// field unread.
func TestUnlabelledDate(t *testing.T) {
	s := f02(t)
	for _, tt := range []struct {
		name  string
		rows  map[int][]at
		conf  float64
		date  string
		doubt bool
	}{
		{"one date", map[int][]at{160: {{200, "Fait à : Bruxelles"}, {900, "Ées"}, {1100, "10/11/2026"}}}, 95, "10/11/2026", false},
		{"two dates", map[int][]at{160: {{200, "Fait à : Bruxelles"}, {900, "Ées"}, {1100, "10/11/2026"}, {1500, "01/10/2026"}}}, 95, "", true},
		// A date elsewhere in the section is no declaration date: were
		// the sections misread, it could be a guide's.
		{"a date on a line of its own", map[int][]at{160: {{200, "Fait à : Bruxelles"}}, 220: {{200, "01/10/2026"}}}, 95, "", true},
		{"read unsurely", map[int][]at{160: {{200, "Fait à : Bruxelles"}, {900, "Ées"}, {1100, "10/11/2026"}}}, 41, "10/11/2026", true},
	} {
		tt.rows[100] = []at{{200, "JE SOUSSIGNÉ(E)"}}
		page := pageOf(tt.conf, tt.rows)
		page.Lines[1].Words[3].Confidence = 95 // Bruxelles
		v := FromPage(s, []doctext.Page{page}, nil)
		if d := v["demande_date"]; d.Text != tt.date || (d.Doubt != "") != tt.doubt {
			t.Errorf("%s: demande_date %+v, want %q, doubtful %v", tt.name, d, tt.date, tt.doubt)
		}
		if l := v["demande_lieu"]; !strings.HasPrefix(l.Text, "Bruxelles") || strings.Contains(l.Text, "2026") {
			t.Errorf("%s: demande_lieu %q, want Bruxelles and no date", tt.name, l.Text)
		}
	}
}

// A signature's scrawl read « de: » under the declaration's « Date »
// label looks like « Le : » one letter off; the label printed in full is
// the field's, not a second one that makes the field a guess. Two labels
// printed in full still are.
func TestScrawlReadAsShortLabel(t *testing.T) {
	s, _ := For("cerfa_14004")
	for _, tt := range []struct {
		second string
		doubt  bool
	}{
		{"de:", false},
		{"Date : 06/11/2026", true},
	} {
		v := FromPage(s, []doctext.Page{pageOf(95, map[int][]at{
			100: {{200, "DÉCLARATION ET SIGNATURE"}},
			160: {{200, "Lieu"}, {1300, "Date"}},
			220: {{200, "MARSEILLE"}, {1300, "05/11/2026"}},
			300: {{200, "Signature"}, {800, tt.second}},
		})}, nil)
		if d := v["fait_le"]; d.Text != "05/11/2026" || (d.Doubt != "") != tt.doubt {
			t.Errorf("with %q below: fait_le %+v, want 05/11/2026, doubtful %v", tt.second, d, tt.doubt)
		}
	}
}

// Values read with low OCR confidence are doubtful, but for the
// holder's name: it is read with its confidence, which the identity
// rules weigh (a mismatch read so is a clerk's look, never a reject).
func TestLowConfidenceDoubtful(t *testing.T) {
	s, _ := For("cerfa_14880")
	v := FromPage(s, []doctext.Page{pageOf(41, map[int][]at{
		100: {{200, "Nom : MARTIN"}}, 130: {{200, "Prénoms : Paul"}}, 160: {{200, "Date de naissance : 14/07/2001"}},
		220: {{200, "Catégories de permis : B"}},
	})}, nil)
	for _, k := range []string{"naissance", "categories"} {
		if v[k].Doubt == "" {
			t.Errorf("%s at confidence 41 not doubtful: %+v", k, v[k])
		}
	}
	if len(s.Dates(v)) != 0 {
		t.Errorf("doubtful dates listed: %+v", s.Dates(v))
	}
	name, parts, ok := s.Name(v)
	if !ok || name != "MARTIN Paul" || len(parts) != 2 || parts[0].Confidence != 41 {
		t.Errorf("name %q %v, parts %+v: want MARTIN Paul read at confidence 41", name, ok, parts)
	}
	// A stray mark read under the name's label is no name.
	v = FromPage(s, []doctext.Page{pageOf(41, map[int][]at{100: {{200, "Nom : /"}}, 130: {{200, "Prénoms : Paul"}}})}, nil)
	if _, _, ok := s.Name(v); ok || v["nom"].Doubt == "" {
		t.Errorf("a mark read at confidence 41 given as a name: %+v", v["nom"])
	}
}

// letters paints the box x0..x1, y0..y1 as a word's letters would: a
// stroke every 12 px (a solid block would be a printed rule).
func letters(rect func(x0, y0, x1, y1 int), x0, y0, x1, y1 int) {
	for x := x0; x+6 <= x1; x += 12 {
		rect(x, y0, x+6, y1)
	}
}

// canvas is a white page image, a way to paint black rectangles on it and
// one to draw a 40 px tick box with 4 px strokes.
func canvas(w, h int) (*image.Gray, func(x0, y0, x1, y1 int), func(x, y int)) {
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	rect := func(x0, y0, x1, y1 int) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), image.Black, image.Point{}, draw.Src)
	}
	square := func(x, y int) {
		rect(x, y, x+40, y+4)
		rect(x, y+36, x+40, y+40)
		rect(x, y, x+4, y+40)
		rect(x+36, y, x+40, y+40)
	}
	return img, rect, square
}

// A page image with tick boxes (empty, crossed, smudged) and signature
// areas (signed, blank with a rule) beside their labels.
func inkPage() (doctext.Page, *image.Gray) {
	img, rect, square := canvas(2000, 1000)
	cross := func(x, y int) {
		for i := 10; i < 30; i++ {
			rect(x+i, y+i, x+i+3, y+i+3)
			rect(x+40-i-3, y+i, x+40-i, y+i+3)
		}
	}
	square(150, 95) // modele_m18: empty
	square(150, 155)
	cross(150, 155) // modele_m36: ticked
	square(150, 215)
	rect(160, 225, 163, 228) // modele_m12: a speck, 9 px: under 2% of the inside
	square(150, 275)
	rect(158, 283, 172, 297) // test_lecture: filled in, 196 px: 34% of the inside
	// Signatures: the candidate's scribbled, guide 1's blank above a rule.
	for x := 900; x < 1300; x++ {
		y := 520 + (x/20%2)*20
		rect(x, y, x+4, y+4)
	}
	rect(900, 760, 1500, 763) // a printed rule only
	page := pageOf(93, map[int][]at{
		50:  {{200, "À REMPLIR PAR LE CENTRE D'EXAMEN"}},
		100: {{200, "B M18 - Sans guide"}},
		160: {{200, "B M36 - Avec guide"}},
		220: {{200, "B M12 - Avec guide"}},
		280: {{200, "Test de lecture satisfait"}},
		400: {{200, "JE SOUSSIGNÉ(E)"}},
		520: {{200, "Signature du demandeur :"}},
		650: {{200, "GUIDE 1"}},
		740: {{200, "Signature du guide :"}},
	})
	return page, img
}

func TestInk(t *testing.T) {
	s := f02(t)
	page, img := inkPage()
	v := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	for key, want := range map[string]string{"modele_m18": "", "modele_m36": "true", "modele_m12": "", "test_lecture": "true",
		"signature_demandeur": "signed", "guide1_signature": ""} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
	// Without the image, boxes and signatures are doubtful.
	v = FromPage(s, []doctext.Page{page}, nil)
	if v["modele_m36"].Doubt == "" || v["signature_demandeur"].Doubt == "" {
		t.Errorf("no image: %+v %+v", v["modele_m36"], v["signature_demandeur"])
	}
}

// A box half-way between empty and ticked is doubtful, and a box between
// two labels on one line belongs to the nearer one.
func TestInkDoubtAndNearestLabel(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 600)
	// "Modèle 18 [ ]    Modèle 36 [x]    Modèle 12 [?]" on one line: each
	// box just right of its label.
	square(400, 205)
	square(900, 205)
	for i := 10; i < 30; i++ {
		rect(900+i, 205+i, 903+i, 208+i)
		rect(937-i, 205+i, 940-i, 208+i)
	}
	square(1400, 205)
	rect(1412, 217, 1418, 223) // 36 px: 5% of the inside
	page := pageOf(93, map[int][]at{
		100: {{200, "Partie réservée au centre d'examen"}},
		210: {{200, "Modèle 18"}, {700, "Modèle 36"}, {1200, "Modèle 12"}},
	})
	v := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	if v["modele_m18"].Text != "" || v["modele_m18"].Doubt != "" || v["modele_m36"].Text != "true" || v["modele_m12"].Doubt == "" {
		t.Errorf("m18 %+v, m36 %+v, m12 %+v", v["modele_m18"], v["modele_m36"], v["modele_m12"])
	}
}

// A national number read with low confidence stands when its check digits
// hold; a value written but not read (ink, no word) is doubtful, not
// empty.
func TestNRNAndUnreadInk(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	rect(900, 300, 915, 330)           // a lone digit beside "Lieu de naissance", which OCR dropped
	letters(rect, 900, 203, 1030, 227) // the national number's ink
	rows := func(nrn string) map[int][]at {
		return map[int][]at{
			100: {{200, "CANDIDAT"}},
			200: {{200, "N° registre national :"}, {900, nrn}},
			300: {{200, "Lieu de naissance :"}},
			400: {{200, "Adresse :"}},
		}
	}
	for _, tt := range []struct {
		nrn   string
		doubt bool
	}{{"90020312345", true}, {fixtures.NRN(fixtures.Jean.BirthDate, 1), false}} {
		v := FromPage(s, []doctext.Page{pageOf(45, rows(tt.nrn))}, []*image.Gray{img})
		if got := v["candidat_rrn"]; (got.Doubt != "") != tt.doubt {
			t.Errorf("%s at confidence 45: %+v", tt.nrn, got)
		}
		if got := v["candidat_lieu"]; got.Doubt == "" {
			t.Errorf("ink but no text: %+v", got)
		}
		if got := v["candidat_adresse"]; got.Doubt != "" || got.Text != "" {
			t.Errorf("no ink, no text: %+v", got)
		}
	}
}

// A page read lying on its side (its words standing on end, its image
// turned either way) reads as the upright one.
func TestSidewaysPage(t *testing.T) {
	s := f02(t)
	page, img := inkPage()
	want := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for _, cw := range []bool{true, false} {
		turned := page
		turned.Lines = nil
		for _, l := range page.Lines {
			var ws []doctext.Word
			for _, wd := range l.Words {
				r := wd.Box
				if cw {
					wd.Box = image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
				} else {
					wd.Box = image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
				}
				ws = append(ws, wd)
			}
			turned.Lines = append(turned.Lines, doctext.LineFromWords(ws))
		}
		got := FromPage(s, []doctext.Page{turned}, []*image.Gray{scan.Rotate90(img, cw)})
		for _, k := range []string{"modele_m18", "modele_m36", "test_lecture", "signature_demandeur", "guide1_signature"} {
			if got[k].Text != want[k].Text || got[k].Doubt != want[k].Doubt {
				t.Errorf("turned cw=%v: %s = %+v, want %+v", cw, k, got[k], want[k])
			}
		}
	}
}

// A doubtful number read again by its digits is kept only when the second
// reading is confident and holds.
// A typed date read alike but unsurely at its own size, then surely at the
// national number's 24 px, is kept: the two readings agree. A sure reading
// at 24 px that differs from the page's is no confirmation.
func TestDateConfirmedAt24px(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	letters(rect, 900, 203, 1020, 226) // the date's ink, 23 px high
	page := pageOf(19, map[int][]at{100: {{200, "GUIDE 1"}}, 200: {{200, "Catégorie B obtenue le :"}, {900, "27/01/2015"}}})
	page.Lines[1].Words[0].Confidence = 95
	for _, tt := range []struct {
		scaled string
		doubt  bool
	}{{"27/01/2015", false}, {"21/01/2015", true}} {
		digits := func(c *image.Gray) (string, float64, error) {
			if h := c.Rect.Dy(); h != 120 { // not the crop at its own size, padded
				return tt.scaled, 96, nil
			}
			return "27/01/2015", 19, nil
		}
		got := FromPageDigits(s, []doctext.Page{page}, []*image.Gray{img}, digits)["guide1_cat_b_date"]
		if (got.Doubt != "") != tt.doubt || got.Text != "27/01/2015" {
			t.Errorf("read %q at 24 px: %+v, want 27/01/2015, doubtful %v", tt.scaled, got, tt.doubt)
		}
	}
}

func TestDigitsReread(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	letters(rect, 900, 200, 1080, 230) // where the number is written
	page := pageOf(40, map[int][]at{100: {{200, "CANDIDAT"}}, 200: {{200, "N° registre national :"}, {900, "9OO2O3 0Ol5l"}}})
	valid := fixtures.NRN(fixtures.Jean.BirthDate, 1)
	for _, tt := range []struct {
		text  string
		conf  float64
		doubt bool
	}{{valid, 93, false}, {valid, 35, true}, {"90020312345", 93, true}} {
		digits := func(*image.Gray) (string, float64, error) { return tt.text, tt.conf, nil }
		got := FromPageDigits(s, []doctext.Page{page}, []*image.Gray{img}, digits)["candidat_rrn"]
		if (got.Doubt != "") != tt.doubt || (!tt.doubt && got.Text != valid) {
			t.Errorf("second reading %q at %.0f: %+v", tt.text, tt.conf, got)
		}
	}
	// A lone digit OCR dropped, read by its digits.
	c14004, _ := For("cerfa_14004")
	img, rect, _ = canvas(2000, 800)
	rect(900, 300, 915, 330)
	page = pageOf(93, map[int][]at{100: {{200, "LE MEUBLÉ DE TOURISME"}}, 300: {{200, "Nombre de pièces :"}}})
	digits := func(*image.Gray) (string, float64, error) { return "3", 91, nil }
	if got := FromPageDigits(c14004, []doctext.Page{page}, []*image.Gray{img}, digits)["nombre_pieces"]; got.Text != "3" || got.Doubt != "" {
		t.Errorf("nombre_pieces %+v", got)
	}
}

// OCR may read a ticked box as part of the label's first word ("☒ B M36"
// read " B M36"): the box at the label's end is still its box; the label's
// own letters are never one.
func TestTickBoxInsideLabelWord(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 600)
	square(150, 205)
	for i := 10; i < 30; i++ {
		rect(150+i, 205+i, 153+i, 208+i)
		rect(187-i, 205+i, 190-i, 208+i)
	}
	page := pageOf(93, map[int][]at{
		100: {{150, "Partie réservée au centre d'examen"}},
		210: {{210, "B M36 - Avec guide"}},
	})
	page.Lines[1].Words[0].Box.Min.X = 150 // the box and the B, one word
	page.Lines[1] = doctext.LineFromWords(page.Lines[1].Words)
	v := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	if got := v["modele_m36"]; got.Text != "true" || got.Doubt != "" {
		t.Errorf("modele_m36 = %+v, want ticked", got)
	}
}

// A box-like letter at the label's start (the « B » of « ☐ B M12 » at a
// low resolution: closed on four sides, its middle bar inked like a tick)
// is not the box when an empty box stands beside the label.
func TestLetterOnLabelIsNoBox(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 600)
	square(150, 205) // the box, empty
	// The B: a 30×38 outline with its middle bar.
	rect(210, 206, 240, 210)
	rect(210, 240, 240, 244)
	rect(210, 206, 214, 244)
	rect(236, 206, 240, 244)
	rect(210, 223, 240, 227)
	page := pageOf(93, map[int][]at{
		100: {{150, "Partie réservée au centre d'examen"}},
		210: {{210, "B M12 - Avec guide"}},
	})
	v := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	if got := v["modele_m12"]; got.Text != "" || got.Doubt != "" || got.BBox.Min.X != 150 {
		t.Errorf("modele_m12 = %+v, want the empty box at x=150", got)
	}
}

// A dotted leader read as words at low confidence (« nu creer pee ») is no
// value: no stroke stands under it. Letters read as unsurely are one.
func TestLeaderIsNoValue(t *testing.T) {
	s := f02(t)
	for _, tt := range []struct {
		name   string
		stroke bool
	}{{"leader dots", false}, {"written", true}} {
		img, rect, _ := canvas(2000, 800)
		for x := 420; x < 1200; x += 15 {
			rect(x, 224, x+4, 228) // the leader's dots, on the baseline
		}
		if tt.stroke {
			rect(440, 203, 446, 228) // a letter's stem
		}
		page := pageOf(20, map[int][]at{100: {{200, "GUIDE 2"}}, 200: {{200, "Nom et prénom"}, {420, "nu creer pee"}}})
		page.Lines[1].Words[0].Confidence, page.Lines[1].Words[1].Confidence, page.Lines[1].Words[2].Confidence = 95, 95, 95
		got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["guide2_nom_prenom"]
		if empty := got.Text == "" && got.Doubt == ""; empty == tt.stroke {
			t.Errorf("%s: %+v, want empty %v", tt.name, got, !tt.stroke)
		}
	}
}

// A label found only by its translation (« Naam en voornaam »), nothing
// beside or under it, but a line above it that OCR did not read: the
// value may be there, so the field is doubtful, not empty.
func TestUnreadLineAbove(t *testing.T) {
	s := f02(t)
	for _, tt := range []struct {
		name string
		ink  bool
	}{{"a line above not read", true}, {"nothing above", false}} {
		img, rect, _ := canvas(2000, 800)
		if tt.ink {
			for x := 200; x < 900; x += 20 {
				rect(x, 150, x+10, 180) // letters OCR dropped
			}
		}
		page := pageOf(95, map[int][]at{100: {{200, "CANDIDAT"}}, 200: {{200, "Naam en voornaam"}}})
		got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["candidat_nom_prenom"]
		if (got.Doubt != "") != tt.ink || got.Text != "" {
			t.Errorf("%s: %+v, want doubtful %v", tt.name, got, tt.ink)
		}
	}
}

// A signature drawn low in a tall box under its label is found; the same
// box left blank, its frame and a footer read clearly under it, is not
// signed.
func TestSignatureLowInItsBox(t *testing.T) {
	s, _ := For("cerfa_14004")
	for _, tt := range []struct {
		name   string
		signed bool
	}{{"signed", true}, {"blank", false}} {
		img, rect, _ := canvas(2000, 1200)
		rect(1300, 290, 1900, 293) // the box: top, bottom, sides
		rect(1300, 600, 1900, 603)
		rect(1300, 290, 1303, 603)
		rect(1897, 290, 1900, 603)
		for x := 1300; x < 1900; x += 9 {
			rect(x, 800, x+6, 830) // the footer's letters, read clearly
		}
		if tt.signed {
			for x := 1400; x < 1700; x++ {
				y := 520 + (x/20%2)*20
				rect(x, y, x+4, y+4)
			}
		}
		page := pageOf(93, map[int][]at{
			100: {{200, "ENGAGEMENT"}},
			300: {{1320, "Signature du déclarant"}},
			800: {{1300, "La loi du 6 janvier 1978 s'applique aux réponses faites sur ce formulaire"}},
		})
		got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["signature"]
		if (got.Text == "signed") != tt.signed || got.Doubt != "" {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

// A ticked box read as letters before its label (« DY4 M18 – sans guide »,
// read unsurely, square) is the box, not the label's first word.
func TestTickBoxReadAsLetters(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 400)
	square(150, 95)
	for i := 10; i < 30; i++ {
		rect(150+i, 95+i, 153+i, 98+i)
		rect(150+40-i-3, 95+i, 150+40-i, 98+i)
	}
	page := pageOf(93, map[int][]at{50: {{200, "À REMPLIR PAR LE CENTRE D'EXAMEN"}}, 100: {{150, "DY4 M18 - sans guide"}}})
	page.Lines[1].Words[0].Confidence = 31
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["modele_m18"]; got.Text != "true" || got.Doubt != "" {
		t.Errorf("modele_m18 %+v, want ticked", got)
	}
}

// A signature's scrawl read « LES. » in a guide's part looks like « Le : »
// misread; outside the declaration it names no field: the request date's
// label not found there leaves the date unread, never empty.
func TestFuzzyLabelNotTakenElsewhere(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{200, "GUIDE 1"}},
		160: {{1000, "LES."}},
		300: {{200, "JE SOUSSIGNÉ(E)"}},
		360: {{200, "Fait à : Namur"}},
	})
	page.Lines[1].Words[0].Confidence = 30
	if got := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; got.Doubt == "" {
		t.Errorf("demande_date %+v, want doubtful", got)
	}
}

// A lone thin digit far right of its label, a thousandth of the area
// beside it, is still ink where the value goes: the field is doubtful
// (and read again by its digits), never empty.
func TestLoneThinDigit(t *testing.T) {
	s, _ := For("cerfa_14004")
	img, rect, _ := canvas(2400, 600)
	rect(1400, 302, 1403, 328) // a « 1 »
	page := pageOf(93, map[int][]at{100: {{200, "LE MEUBLÉ DE TOURISME"}}, 300: {{200, "Nombre de pièces :"}}})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["nombre_pieces"]; got.Doubt == "" {
		t.Errorf("nombre_pieces %+v, want doubtful", got)
	}
}

// « le/ op » with its slash: the short label, its translation, then the
// date in a cell of its own.
func TestShortLabelSlashTranslation(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{100: {{200, "JE SOUSSIGNÉ(E)"}}, 160: {{200, "Fait à : Namur"}, {746, "le/ op"}, {843, "03/11/2026"}}})
	if got := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; got.Text != "03/11/2026" || got.Doubt != "" {
		t.Errorf("demande_date %+v, want 03/11/2026", got)
	}
}

// A label's first word OCR set apart, a word dropped between (« Résultat |
// test de lecture »), stands between the label and its box: it is the
// label's, not nearer text that makes the box another's.
func TestTickBoxBeforeSplitLabel(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 400)
	square(140, 95)
	for i := 10; i < 30; i++ {
		rect(140+i, 95+i, 143+i, 98+i)
	}
	page := pageOf(93, map[int][]at{50: {{200, "À REMPLIR PAR LE CENTRE D'EXAMEN"}}, 100: {{200, "Résultat"}, {350, "test de lecture satisfait"}}})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["test_lecture"]; got.Text != "true" || got.Doubt != "" {
		t.Errorf("test_lecture %+v, want ticked", got)
	}
}

// An unsigned box: its label's translation read under it, only its first
// word matched as a label (« Handtekening | van de kandidaat »), and its
// frame scanned light grey with darker specks. Neither is a signature.
func TestUnsignedBoxWithTranslation(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	grey := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				v := uint8(175)
				if (x+y)%9 == 0 {
					v = 120 // a darker speck of the scanned line
				}
				img.SetGray(x, y, color.Gray{Y: v})
			}
		}
	}
	grey(1100, 280, 1800, 283) // the frame
	grey(1100, 500, 1800, 503)
	grey(1100, 280, 1103, 503)
	grey(1797, 280, 1800, 503)
	letters(rect, 1280, 336, 1460, 356) // « van de kandidaat », printed
	page := pageOf(93, map[int][]at{
		100: {{200, "JE SOUSSIGNÉ(E)"}},
		300: {{1120, "Signature du candidat"}},
		330: {{1120, "Handtekening van de kandidaat"}},
	})
	page.Lines[2].Words[0].Box.Max.Y = 356 // words a little apart, as read
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["signature_demandeur"]; got.Text != "" || got.Doubt != "" {
		t.Errorf("signature_demandeur %+v, want read blank", got)
	}
}

// A part's title that is also a label (« 2 Adresse du meublé »), not read
// as a heading, over the label holding the value: the label with its value
// is the field's, never an empty one.
func TestNumberedTitleOverLabel(t *testing.T) {
	s, _ := For("cerfa_14004")
	page := pageOf(93, map[int][]at{
		100: {{200, "Le déclarant"}},
		160: {{200, "2 Adresse du meublé"}},
		220: {{200, "Adresse complète du meublé 36 RUE DU PORT 13002 MARSEILLE"}},
	})
	if got := FromPage(s, []doctext.Page{page}, nil)["meuble_adresse"]; got.Text != "36 RUE DU PORT 13002 MARSEILLE" {
		t.Errorf("meuble_adresse %+v", got)
	}
}

// A signature's scrawl read as a word (« LES. », unsurely: a short label
// known by its colon) is still the signature's ink.
func TestScrawlReadAsWordStillSigned(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	for x := 1150; x < 1450; x++ {
		y := 372 + (x/20%2)*16
		rect(x, y, x+4, y+4)
	}
	page := pageOf(93, map[int][]at{
		100: {{200, "JE SOUSSIGNÉ(E)"}},
		300: {{1120, "Signature du candidat"}},
		370: {{1150, "LES."}},
	})
	page.Lines[2].Words[0].Confidence = 30
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["signature_demandeur"]; got.Text != "signed" || got.Doubt != "" {
		t.Errorf("signature_demandeur %+v, want signed", got)
	}
}

// A name typed where the signature goes is no signature: the field is
// doubtful (a clerk checks), never signed.
func TestTypedNameIsNoSignature(t *testing.T) {
	s, _ := For("cerfa_14004")
	img, rect, _ := canvas(2000, 600)
	letters(rect, 500, 303, 632, 327) // « Jean DUPONT », typed
	page := pageOf(93, map[int][]at{100: {{200, "ENGAGEMENT"}}, 300: {{200, "Signature du déclarant : Jean DUPONT"}}})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["signature"]; got.Text == "signed" || got.Doubt == "" {
		t.Errorf("signature %+v, want doubtful", got)
	}
}

// « le/op » read as one word, « le] op » with the slash read as a bracket,
// « e/op » with the l lost, « LÉ; op » with a colon read after it as a
// semicolon, and the same line read twice by OCR: each is the request
// date's label, once.
func TestShortLabelSlashReadOtherwise(t *testing.T) {
	s := f02(t)
	for _, row := range [][]at{
		{{200, "Fait à : Namur"}, {746, "le/op 03/11/2026"}},
		{{200, "Fait à : Namur"}, {746, "le] op 03/11/2026"}},
		{{200, "Fait à : Namur"}, {746, "e/op 03/11/2026"}}, // the l lost
		{{200, "Fait à / Opgemaakt te"}, {560, "BRUXELLES"}, {746, "LÉ; op"}, {900, "03/11/2026"}},
	} {
		page := pageOf(93, map[int][]at{100: {{200, "JE SOUSSIGNÉ(E)"}}, 160: row, 162: {{746, "le/op 03/11/2026."}}})
		if got := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; got.Text != "03/11/2026" || got.Doubt != "" {
			t.Errorf("%v: demande_date %+v, want 03/11/2026", row, got)
		}
	}
}

// A part's title that names its section inside it, after a number and
// before its translation (« 1. Partie à compléter par le centre d'examen /
// In te vullen door het examencentrum »), heads that section: the exam
// date written a little above its label's line is the exam centre's. A
// translation the schema does not know (« Fait à / Opgemaakt te ») is no
// value, and a date whose label was read as noise (« op » at 0) is the
// section's unlabelled date.
func TestTitleTranslationAndUnreadLabel(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{200, "1. Partie à compléter par le centre d'examen / In te vullen door het examencentrum"}},
		170: {{200, "Centre d'examen et n° de dossier"}},
		210: {{1000, "Geslaagd op"}},
		300: {{200, "3. Déclaration et signature du candidat / Verklaring en handtekening van de kandidaat"}},
		400: {{200, "Fait à / Opgemaakt te"}, {500, "NAMUR"}},
	})
	// The exam date written a little above its label's line, read as one
	// cell with it.
	label := []doctext.Word{}
	for i, w := range strings.Fields("Examen théorique réussi le") {
		label = append(label, doctext.Word{Text: w, Confidence: 93, Box: image.Rect(1000+i*130, 170, 1110+i*130, 200)})
	}
	page.Lines = append(page.Lines, doctext.LineFromWords(append(label,
		doctext.Word{Text: "26/01/2026", Confidence: 95, Box: image.Rect(1530, 152, 1650, 182)})))
	// The request date's label read as noise, then a leader's stroke.
	page.Lines = append(page.Lines, doctext.LineFromWords([]doctext.Word{
		{Text: "op", Confidence: 0, Box: image.Rect(700, 400, 760, 430)},
		{Text: "_", Confidence: 44, Box: image.Rect(772, 395, 778, 435)},
		{Text: "09/11/2026", Confidence: 95, Box: image.Rect(790, 400, 910, 430)},
	}))
	v := FromPage(s, []doctext.Page{page}, nil)
	for key, want := range map[string]string{"theorie_date": "26/01/2026", "demande_lieu": "NAMUR", "demande_date": "09/11/2026"} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
}

// A translation the schema does not know followed by the value in the
// same cell (« Fait à / Opgemaakt te Namur »), and a translation's slash
// read « ! » (« le ! op 10/11/2026 »).
func TestUnknownTranslationBeforeValue(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{200, "3. Déclaration et signature du candidat / Verklaring en handtekening van de kandidaat"}},
		200: {{200, "Fait à / Opgemaakt te Namur"}, {900, "le ! op 10/11/2026"}},
	})
	v := FromPage(s, []doctext.Page{page}, nil)
	for key, want := range map[string]string{"demande_lieu": "Namur", "demande_date": "10/11/2026"} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
}

// A signature's strokes read as a short label (« OP », unsurely, twice the
// text's height) to the right of the signature's label are the signature's
// ink, not the next label bounding its area, nor the request date's label
// printed a second time.
func TestScrawlReadAsShortLabelIsInk(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2400, 800)
	for x := 1100; x < 1550; x++ {
		y := 330 + (x/30%2)*30
		rect(x, y, x+5, y+5)
	}
	page := pageOf(93, map[int][]at{
		100: {{200, "JE SOUSSIGNÉ(E)"}},
		200: {{200, "Fait à : Namur"}, {1300, "Le : 03/11/2026"}},
		320: {{200, "Signature du demandeur :"}},
	})
	page.Lines = append(page.Lines, doctext.LineFromWords([]doctext.Word{{Text: "OP", Confidence: 34, Box: image.Rect(1100, 305, 1350, 365)}}))
	v := FromPage(s, []doctext.Page{page}, []*image.Gray{img})
	if got := v["signature_demandeur"]; got.Text != "signed" || got.Doubt != "" {
		t.Errorf("signature_demandeur %+v, want signed", got)
	}
	if got := v["demande_date"]; got.Text != "03/11/2026" || got.Doubt != "" {
		t.Errorf("demande_date %+v", got)
	}
}

// A Cerfa 14004 printed without colons, as a town hall's own layout: a
// short label with its value in capitals (« Nom  LEFÈVRE »), a label read
// with its space lost (« Fata ») or one letter off before its date (« ke
// 09/11/2026 »), a word printed inside a label (« Nombre total de lits »),
// a label going on in small letters before its value (« Nombre de pièces
// du meublé  5 »), and a part's title over the same label, outside the
// part its heading would open.
func TestLayoutWithoutColons(t *testing.T) {
	s, _ := For("cerfa_14004")
	page := pageOf(93, map[int][]at{
		100: {{200, "Le déclarant"}},
		160: {{200, "Nom LEFÈVRE"}, {1300, "Prénoms HÉLÈNE"}},
		260: {{260, "Adresse du meublé"}},
		330: {{200, "Adresse du meublé"}},
		380: {{200, "31 RUE DU PORT 13002 MARSEILLE"}},
		460: {{200, "Caractéristiques du meublé"}},
		520: {{200, "Nombre de pièces du meublé"}, {700, "5"}, {1000, "Nombre total de lits 6"}},
		600: {{200, "Engagement"}},
		660: {{200, "Fata MARSEILLE"}, {1000, "ke 09/11/2026"}},
	})
	v := FromPage(s, []doctext.Page{page}, nil)
	for key, want := range map[string]string{"declarant_nom": "LEFÈVRE", "meuble_adresse": "31 RUE DU PORT 13002 MARSEILLE",
		"nombre_pieces": "5", "nombre_lits": "6", "fait_a": "MARSEILLE", "fait_le": "09/11/2026"} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
	// A short label going on in small letters, its value under it; a
	// date label one letter off inside the place's cell.
	page = pageOf(93, map[int][]at{
		100: {{200, "Le déclarant"}},
		160: {{200, "Nom de famille"}},
		210: {{200, "LEFÈVRE"}},
		600: {{200, "Engagement"}},
		660: {{200, "Fait à MARSEILLE te 07/11/2026"}},
	})
	v = FromPage(s, []doctext.Page{page}, nil)
	for key, want := range map[string]string{"declarant_nom": "LEFÈVRE", "fait_le": "07/11/2026"} {
		if got := v[key]; got.Text != want || got.Doubt != "" {
			t.Errorf("%s = %+v, want %q", key, got, want)
		}
	}
	page = pageOf(93, map[int][]at{100: {{200, "Le déclarant"}}, 160: {{200, "Nom de famille LEFÈVRE"}}})
	if got := FromPage(s, []doctext.Page{page}, nil)["declarant_nom"]; got.Text != "LEFÈVRE" || got.Doubt != "" {
		t.Errorf("declarant_nom beside a label going on: %+v", got)
	}
	// A sentence is no label: « Nom porté … » goes on in small letters.
	if got := FromPage(s, []doctext.Page{pageOf(93, map[int][]at{100: {{200, "Le déclarant"}}, 160: {{200, "Nom porté sur l'acte de naissance"}}})}, nil)["declarant_nom"]; got.Text != "" && got.Doubt == "" {
		t.Errorf("sentence read as a label: %+v", got)
	}
}

// A part's title that starts like a label (« Catégories concernées »),
// nothing written after it, over the label holding the value: the label's.
func TestTitleOverLabelWithValue(t *testing.T) {
	s, _ := For("cerfa_14880")
	page := pageOf(93, map[int][]at{
		100: {{200, "Identité du demandeur"}},
		160: {{200, "Nom MARTIN"}},
		260: {{240, "Catégories concernées"}},
		330: {{200, "Catégorie(s) du permis de conduire B"}},
	})
	if got := FromPage(s, []doctext.Page{page}, nil)["categories"]; got.Text != "B" || got.Doubt != "" {
		t.Errorf("categories %+v", got)
	}
	// The label going on in small letters, its value written under it.
	page = pageOf(93, map[int][]at{
		100: {{200, "Identité du demandeur"}},
		160: {{200, "Nom MARTIN"}},
		330: {{200, "Catégorie(s) du permis de conduire"}},
		380: {{200, "B"}},
	})
	if got := FromPage(s, []doctext.Page{page}, nil)["categories"]; got.Text != "B" || got.Doubt != "" {
		t.Errorf("categories under a label going on: %+v", got)
	}
}

// The title printed in a taller type than the label under it, the value
// written below the label: the label's, not the title's (retitled).
func TestTallerTitleOverLabel(t *testing.T) {
	s, _ := For("cerfa_14880")
	page := pageOf(93, map[int][]at{
		100: {{200, "Identité du demandeur"}},
		160: {{200, "Nom MARTIN"}},
		250: {{240, "Catégories concernées"}},
		330: {{200, "Catégorie(s) du permis de conduire"}},
		400: {{200, "B"}},
	})
	for i := range page.Lines[2].Words {
		page.Lines[2].Words[i].Box.Max.Y += 20 // 50 px over the label's 30
	}
	if got := FromPage(s, []doctext.Page{page}, nil)["categories"]; got.Text != "B" || got.Doubt != "" {
		t.Errorf("categories %+v", got)
	}
}

// A part's mark printed in a badge and read as junk before its title
// (« (e1R Guide 1 / Begeleider 1 »): the title still opens its part, and
// the guide's name is read there, not as the candidate's.
func TestHeadingAfterBadge(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{200, "Candidat / Kandidaat"}},
		160: {{200, "Nom et prénom : DUPONT JEAN"}},
		300: {{150, "(e1R Guide 1 / Begeleider 1"}},
		360: {{200, "Nom et prénom : MARTIN PAUL"}},
	})
	page.Lines[2].Words[0].Confidence = 0
	v := FromPage(s, []doctext.Page{page}, nil)
	if got := v["guide1_nom_prenom"]; got.Text != "MARTIN PAUL" || got.Doubt != "" {
		t.Errorf("guide1_nom_prenom = %+v", got)
	}
	if got := v["candidat_nom_prenom"]; got.Text != "DUPONT JEAN" || got.Doubt != "" {
		t.Errorf("candidat_nom_prenom = %+v", got)
	}
}

// A box ticked with a heavy cross whose strokes end past the frame's
// corners is still a box.
func TestHeavyCrossBox(t *testing.T) {
	s := f02(t)
	img, rect, square := canvas(2000, 600)
	square(150, 205)
	for i := -1; i < 41; i++ { // corner to corner, a pixel beyond each end
		rect(150+i, 205+i, 154+i, 209+i)
		rect(186-i, 205+i, 190-i, 209+i)
	}
	page := pageOf(93, map[int][]at{
		100: {{150, "Partie réservée au centre d'examen"}},
		210: {{210, "M36 - Avec guide"}},
	})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["modele_m36"]; got.Text != "true" || got.Doubt != "" {
		t.Errorf("modele_m36 = %+v, want ticked", got)
	}
}

// A part's mark printed white on a black badge before its title, taller
// than its words, is no line OCR dropped above the first label: an empty
// guide's name is empty, not doubtful.
func TestBadgeIsNoUnreadLine(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 800)
	rect(150, 195, 190, 240) // the badge, 10 px below the title's words
	page := pageOf(95, map[int][]at{
		50:  {{200, "Candidat"}},
		100: {{200, "Nom et prénom : DUPONT JEAN"}},
		200: {{200, "Guide 2 / Begeleider 2"}},
		270: {{160, "Nom et prénom / Naam en voornaam"}},
	})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["guide2_nom_prenom"]; got.Text != "" || got.Doubt != "" {
		t.Errorf("guide2_nom_prenom = %+v, want empty", got)
	}
}

// Two guides' parts side by side, the second lower (staggered): a label
// of the second column lower than the first column's label does not cut
// off the value written under it.
func TestStaggeredColumns(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2400, 1000)
	letters(rect, 650, 370, 770, 400) // the date's ink
	page := pageOf(93, map[int][]at{
		100: {{150, "Guide 1"}, {1100, "Guide 2"}},
		200: {{150, "Nom et prénom : MARTIN PAUL"}},
		300: {{630, "Titulaire de la cat. B depuis le"}},
		350: {{1100, "N° du permis de conduire"}},
		370: {{650, "10/12/2006"}},
	})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["guide1_cat_b_date"]; got.Text != "10/12/2006" || got.Doubt != "" {
		t.Errorf("guide1_cat_b_date = %+v", got)
	}
	// The date not read: its ink is still seen, a doubt, not « empty ».
	page.Lines = page.Lines[:len(page.Lines)-1]
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["guide1_cat_b_date"]; got.Doubt == "" {
		t.Errorf("guide1_cat_b_date unread = %+v, want a doubt", got)
	}
}

// One label read in two pieces side by side (« le / » and « op », from
// two readings of its line): one label, the date after it its value.
func TestLabelInTwoPieces(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{150, "Je soussigné(e)"}},
		200: {{150, "Fait à BRUXELLES"}},
		300: {{400, "op"}, {490, "06/11/2026"}},
	})
	page.Lines = append(page.Lines, pageOf(93, map[int][]at{300: {{340, "le /"}}}).Lines...)
	if got := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; got.Text != "06/11/2026" || got.Doubt != "" {
		t.Errorf("demande_date = %+v", got)
	}
}

// The declaration's label read unsurely as a word with a digit in it
// (« e/0op »), the date beside it in the same cell: the date alone is the
// value, at its own confidence.
func TestUnlabelledDateAfterGarbledLabel(t *testing.T) {
	s := f02(t)
	page := pageOf(95, map[int][]at{
		100: {{200, "JE SOUSSIGNÉ(E)"}},
		160: {{200, "Fait à : Bruxelles"}, {900, "e/0op 10/11/2026"}},
	})
	page.Lines[1].Words[4].Confidence = 35 // e/0op
	if d := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; d.Text != "10/11/2026" || d.Doubt != "" {
		t.Errorf("demande_date %+v", d)
	}
}

// A label far lower that starts just past a signature's label is no next
// column: the signature drawn under the label, across, is still seen.
func TestSignatureNotCutByLowerLabel(t *testing.T) {
	s := f02(t)
	img, rect, _ := canvas(2000, 1000)
	for x := 850; x < 1300; x++ { // the signature, under its label and beyond its end
		y := 260 + (x/20%2)*20
		rect(x, y, x+4, y+4)
	}
	page := pageOf(93, map[int][]at{
		100: {{200, "GUIDE 1"}},
		200: {{600, "Signature du guide"}},
		700: {{817, "N° de registre national"}},
	})
	if got := FromPage(s, []doctext.Page{page}, []*image.Gray{img})["guide1_signature"]; got.Text != "signed" || got.Doubt != "" {
		t.Errorf("guide1_signature = %+v, want signed", got)
	}
}

// A dotted leader read as text with the value written on it, a few
// pixels high (« 08/11/2026... »), beside the value read on its own: the
// value is the one read on its own.
func TestLeaderRowReadAsText(t *testing.T) {
	s := f02(t)
	page := pageOf(93, map[int][]at{
		100: {{150, "Je soussigné(e)"}},
		200: {{150, "Fait à BRUXELLES"}, {800, "08/11/2026"}},
	})
	label := pageOf(93, map[int][]at{205: {{680, "le / op"}}}).Lines[0]
	row := doctext.LineFromWords([]doctext.Word{{Text: "08/11/2026...", Confidence: 45, Box: image.Rect(790, 232, 1000, 236)}})
	page.Lines = append(page.Lines, label, row)
	if got := FromPage(s, []doctext.Page{page}, nil)["demande_date"]; got.Text != "08/11/2026" || got.Doubt != "" {
		t.Errorf("demande_date = %+v", got)
	}
}

// A free-text value whose ink is seen but no word read (a category « B »
// alone in its frame) is read again as a block: kept when read surely,
// a doubt otherwise; a name is never read so.
func TestInkReadAgainAsText(t *testing.T) {
	s, _ := For("cerfa_14880")
	img, rect, _ := canvas(2000, 1000)
	letters(rect, 210, 400, 236, 440) // « B », under its label
	letters(rect, 210, 200, 300, 240) // a name, under its label
	page := pageOf(93, map[int][]at{
		100: {{200, "Identité du demandeur"}},
		160: {{200, "Nom de naissance"}},
		330: {{200, "Catégorie(s) de permis"}},
	})
	for _, tt := range []struct {
		name string
		read string
		conf float64
		want string
	}{{"read surely", "B", 93, "B"}, {"read unsurely", "B", 40, ""}, {"read as nothing", "", 0, ""}} {
		calls := 0
		text := func(*image.Gray) (string, float64, error) { calls++; return tt.read, tt.conf, nil }
		v := FromPageRead(s, []doctext.Page{page}, []*image.Gray{img}, Rereads{Text: text})
		if got := v["categories"]; got.Text != tt.want || (got.Doubt == "") != (tt.want != "") {
			t.Errorf("%s: categories %+v", tt.name, got)
		}
		if got := v["nom"]; got.Text != "" || got.Doubt == "" {
			t.Errorf("%s: nom %+v, want a doubt", tt.name, got)
		}
		if calls != 1 {
			t.Errorf("%s: %d block readings, want 1 (the category's)", tt.name, calls)
		}
	}
}
