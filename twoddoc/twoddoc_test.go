package twoddoc

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func markers(s string) string {
	return strings.NewReplacer("<GS>", GS, "<RS>", RS, "<US>", US).Replace(s)
}

func testCerts(t *testing.T) *Certs {
	c, err := LoadCerts("testdata/certs")
	if err != nil {
		t.Fatal(err)
	}
	c.AllowTest = true
	return c
}

// Every vector of RULES.md §3.13 gives its expected signature result.
func TestVectors(t *testing.T) {
	var v struct {
		Vectors []struct {
			Name  string `json:"name"`
			Raw   string `json:"raw_with_markers"`
			Valid bool   `json:"signature_valid_FR00_0001"`
		} `json:"vectors"`
		V01 []struct {
			Name   string `json:"name"`
			Signed string `json:"signed_data"`
			Sig    string `json:"signature_hex"`
		} `json:"v01_binary_signature_vectors"`
	}
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	certs := testCerts(t)
	for _, x := range v.Vectors {
		d, err := Parse(markers(x.Raw))
		if err != nil {
			t.Errorf("%s: %v", x.Name, err)
			continue
		}
		if r := certs.Verify(d); r.SignatureOK != x.Valid {
			t.Errorf("%s: signature ok %v (%s), want %v", x.Name, r.SignatureOK, r.Message, x.Valid)
		}
	}
	for _, x := range v.V01 {
		sig, _ := hex.DecodeString(x.Sig)
		d, err := ParseV01(markers(x.Signed), sig)
		if err != nil {
			t.Fatal(err)
		}
		if r := certs.Verify(d); !r.SignatureOK || r.Status != Valid {
			t.Errorf("%s: %+v", x.Name, r)
		}
	}
}

func TestHeaderAndFields(t *testing.T) {
	d, err := Parse(markers("DC02FR000001125E125B0126FR247500010MME/SPECIMEN/NATACHA<GS>22145 AVENUE DES SPECIMENS<GS><US>54LDD5F7JD4JEFPR6WZYVZVB2JZXPZB73SP7WUTN5N44P3GESXW75JZUZD5FM3G4URAJ6IKDSSUB66Y3OWQIEH22G46QOAGWH7YHJWQ"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 2 || d.CA != "FR00" || d.CertID != "0001" || d.Type != "01" ||
		d.Issued.Format("2006-01-02") != "2012-11-15" || d.Signed.Format("2006-01-02") != "2012-11-12" {
		t.Errorf("header %+v", d)
	}
	want := map[string]string{"26": "FR", "24": "75000", "10": "MME/SPECIMEN/NATACHA", "22": "145 AVENUE DES SPECIMENS"}
	for k, v := range want {
		if d.Fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, d.Fields[k], v)
		}
	}
	if d.Partial {
		t.Error("partial parse of a type-01 code")
	}
	r := testCerts(t).Verify(d)
	if r.Status != Valid || r.Message != "2D-Doc read, signature valid" {
		t.Errorf("%+v", r)
	}
	// Tax notice: fixed-length fields without separators, last one too.
	d, _ = Parse(markers("DC04FR000001FFFF1FB60401FR432,75<GS>44227801234567845202146RETI PATRICK<GS>4A310720224163198<GS>47300112345678948RETI SOPHIE<GS>490701987765432<US>QHA4A6QOV6AZJEBTIUNR7QOBXINNTMZTD5COQH6VN24NCZTXA7MYX"))
	if d.Fields["4A"] != "31072022" || d.Fields["41"] != "63198" || d.Fields["49"] != "0701987765432" || !d.Issued.IsZero() || d.Country != "FR" {
		t.Errorf("tax notice %+v", d)
	}
	tax, ok := d.Tax()
	if !ok || len(tax.Declarants) != 2 || tax.Declarants[0] != "RETI PATRICK" || tax.Declarants[1] != "RETI SOPHIE" ||
		tax.Year != "2021" || tax.Collection.Format("2006-01-02") != "2022-07-31" {
		t.Errorf("tax fields %+v", tax)
	}
	if _, ok := (Doc{Type: "01"}).Tax(); ok {
		t.Error("an invoice read as a tax notice")
	}
}

func TestIdentityFields(t *testing.T) {
	// Vector 7 (type 07): field 65 is fixed length 2, "P " padded.
	d, err := Parse(markers("DC03FR000001092D1636070160NATACHA<GS>62SPECIMEN<GS>65P 6607CD12304<GS>67FR68F6CFR<US>EYLJXYH5R3HYO5YWTMELK7P277KKOK5TTNB26S6UAPDH2KJGT37YXNDEZTGEK2LX3OSRNAXOP4UHFWHNTOU6LTOSBMX2EBCQ36UZ4FA"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Partial {
		t.Errorf("partial parse of a type-07 code: %q", d.Fields)
	}
	id, ok := d.Identity()
	want := Identity{Surname: "SPECIMEN", GivenNames: "NATACHA", DocType: "P", Number: "07CD12304"}
	if !ok || id != want || d.Fields["67"] != "FR" || d.Fields["68"] != "F" || d.Fields["6C"] != "FR" {
		t.Errorf("identity %+v %q", id, d.Fields)
	}
	if _, ok := d.MRZ(); ok {
		t.Error("a type-07 code has no MRZ field")
	}
	// Dates, several first names, and a type-08 zone.
	d = Doc{Type: "07", Fields: map[string]string{"61": "ANNA", "63": "MARTIN", "69": "12081974", "6O": "00002030"}}
	id, _ = d.Identity()
	if id.Surname != "MARTIN" || id.GivenNames != "ANNA" || id.Birth.Format("2006-01-02") != "1974-08-12" || !id.ValidTo.IsZero() {
		t.Errorf("fallbacks %+v", id)
	}
	zone := "I UTOD231458907               7408122F1204159UTO           6ERIKSSON  ANNA MARIA          "
	d = Doc{Type: "08", Fields: map[string]string{"6F": zone}}
	lines, ok := d.MRZ()
	if !ok || len(lines) != 3 || lines[0] != "I<UTOD231458907<<<<<<<<<<<<<<<" || lines[2] != "ERIKSSON<<ANNA<MARIA<<<<<<<<<<" {
		t.Errorf("zone %q", lines)
	}
}

func TestVerifyOutcomes(t *testing.T) {
	c := testCerts(t)
	// The DC04 vectors were signed in 2022, after FR00/0001 expired (2015).
	var v struct {
		Vectors []struct {
			Raw string `json:"raw_with_markers"`
		} `json:"vectors"`
	}
	b, _ := os.ReadFile("testdata/vectors.json")
	json.Unmarshal(b, &v)
	for _, x := range v.Vectors {
		if strings.HasPrefix(x.Raw, "DC04FR000001FFFF1FB60401FR") {
			d, _ := Parse(markers(x.Raw))
			if r := c.Verify(d); r.Status != OutOfPeriod || !r.SignatureOK {
				t.Errorf("DC04 signed 2022 with a 2015 certificate: %+v", r)
			}
		}
	}
	d, _ := Parse(markers("DC03FR000001123F1636010126FR247500010MME/SPECIMEN/NATACHA<GS>22145 AVENUE DES SPECIMENS<GS><US>FEDMPW5SO5BNZFYP7FIQUYZFV5H3OF6QERDMOBN7BZ4CC4KVJ4XWUH6EW3CSWILAGLN4XQE6AKHX6RNOI3OXVW6X3IKJASZGL62FBUQ"))
	c.AllowTest = false
	if r := c.Verify(d); r.Status != TestRefused {
		t.Errorf("FR00 outside test mode: %+v", r)
	}
	d.CA = "FR05"
	if r := c.Verify(d); r.Status != Unknown {
		t.Errorf("unknown CA: %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "hello", "DC09FR000001125E125B01" + US + "AAAA", "DC02FR000001ZZZZ125B01" + US, "DC02FR00" + US, "DC02FR000001125E125B01" + US + "!!!"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(markers("DC02FR000001125E125B0126FR247500010MME/SPECIMEN/NATACHA<GS>22145 AVENUE DES SPECIMENS<GS><US>54LDD5F7"))
	f.Add(markers("DC04FR000001FFFF1FB60401FR432,75<GS>4422780123<US>QHA4"))
	f.Fuzz(func(t *testing.T, s string) {
		Parse(s) // must not panic
	})
}
