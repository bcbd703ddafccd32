package extract

import (
	"testing"

	"dossiercheck/doctext"
)

// Vectors of RULES.md §2.4.
func TestValidNRN(t *testing.T) {
	tests := []struct {
		n     string
		ok    bool
		birth string
		bis   bool
	}{
		{"85073003328", true, "1985-07-30", false},
		{"17073003384", true, "2017-07-30", false},
		{"75060898009", true, "1975-06-08", false},
		{"00000100195", true, "", false},
		{"00000100166", true, "", false},
		{"85073500107", true, "", false}, // day 35: checksum fine, date unknown
		{"98472899765", true, "1998-07-28", true},
		{"01490700185", true, "2001-09-07", true},
		{"12345678901", false, "", false},
		{"8507300332", false, "", false},
	}
	for _, tt := range tests {
		b, bis, ok := ValidNRN(tt.n)
		got := ""
		if !b.IsZero() {
			got = b.Format("2006-01-02")
		}
		if ok != tt.ok || got != tt.birth || bis != tt.bis {
			t.Errorf("ValidNRN(%s) = %s %v %v, want %s %v %v", tt.n, got, bis, ok, tt.birth, tt.bis, tt.ok)
		}
	}
}

func TestNRNsOnPage(t *testing.T) {
	got := NRNs(doctext.PlainLines("N° registre national : 85.07.30-033.28\nN° de dossier 12345678901\n"))
	if len(got) != 1 || got[0].Number != "85073003328" || !got[0].Male || got[0].Birth.Year() != 1985 {
		t.Fatalf("got %+v", got)
	}
}

func TestNames(t *testing.T) {
	n := Names(doctext.PlainLines("Nom / Surname : DUPONT\nPrénoms / Given names : Jean Marc\nNombre de pièces : 3"))
	if n.Last != "DUPONT" || n.First != "Jean Marc" || len(n.Lines) != 2 {
		t.Errorf("got %+v", n)
	}
}

func TestAddressee(t *testing.T) {
	name, line, ok := Addressee(doctext.PlainLines("ÉNERGIE LUMIÈRE\nFournisseur\nM. Jean Marc DUPONT\n12 rue des Lilas"))
	if !ok || name != "Jean Marc DUPONT" || line != 2 {
		t.Errorf("got %q %d %v", name, line, ok)
	}
	if _, _, ok := Addressee(doctext.PlainLines("Madame, Monsieur,\nM. 12")); ok {
		t.Error("salutation taken for an addressee")
	}
}

func TestHosting(t *testing.T) {
	tests := []struct {
		text, host, hosted string
		ok                 bool
	}{
		{"ATTESTATION D'HÉBERGEMENT\nJe soussignée : Madame Hélène LEFÈVRE\nNée le : 30/11/1985\natteste sur l'honneur héberger à mon domicile :\nMonsieur Jean DUPONT\nNé le 12/03/1990",
			"Hélène LEFÈVRE", "Jean DUPONT", true},
		{"Je soussigné(e) M. Paul MARTIN-DURAND, atteste\nhéberger : Mme Thi Mai NGUYEN", "Paul MARTIN-DURAND", "Thi Mai NGUYEN", true},
		{"Je soussigné : X\nhéberger :\n", "", "", false},
		// The sentence wraps inside the hosted person's name.
		{"Je soussignée Mme Thi Mai NGUYEN, née le 28/02/1978 à Paris, demeurant 3 rue de la Paix,\n75002 Paris,\natteste sur l'honneur héberger à mon domicile, depuis le 19/10/2024, M. Paul\nMARTIN-DURAND, né le 14/07/2001 à Lille.",
			"Thi Mai NGUYEN", "Paul MARTIN-DURAND", true},
		{"Je soussigné Jean DUPONT certifie héberger chez moi Hélène LEFÈVRE depuis le 1er mars 2024", "Jean DUPONT", "Hélène LEFÈVRE", true},
		{"Je soussigné(e) Jean Dupont certifie héberger à mon domicile", "", "", false},
	}
	for _, tt := range tests {
		h, ok := Hosting(doctext.PlainLines(tt.text))
		if ok != tt.ok || h.Host != tt.host || h.Hosted != tt.hosted {
			t.Errorf("Hosting(%q) = %+v %v", tt.text, h, ok)
		}
	}
}

func TestBelgianCardAndNIR(t *testing.T) {
	for n, want := range map[string]bool{
		"000001103271": true, "591191706458": true, "591201099997": true, "600001795015": true,
		"000001103225": false, "59119170645": false, "591-1917064-58": true,
	} {
		if got := ValidBelgianCardNumber(n); got != want {
			t.Errorf("ValidBelgianCardNumber(%s) = %v, want %v", n, got, want)
		}
	}
	for n, want := range map[string]bool{
		"295109912611193": true, "253072B07300470": true, "253072A07300443": true, "269054958815780": true,
		"295109912611199": false, "2 95 10 99 126 111 93": true, "29510991261119": false,
	} {
		if got := ValidNIR(n); got != want {
			t.Errorf("ValidNIR(%s) = %v, want %v", n, got, want)
		}
	}
}
