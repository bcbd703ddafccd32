package twoddoc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base32"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TestCA is the ANTS test authority, whose key is public (spec §16.1).
const TestCA = "FR00"

// Status is the outcome of a verification.
type Status string

const (
	Valid        Status = "valid"         // signature verified, dates within the certificate
	BadSignature Status = "bad_signature" // the signature does not match the data
	Unknown      Status = "unknown_cert"  // no certificate for this CA and id
	OutOfPeriod  Status = "out_of_period" // signed outside the certificate's validity
	TestRefused  Status = "test_ca"       // FR00 while test mode is off
)

// Certs holds certificates by "CA/id" (issuer CN / subject CN).
type Certs struct {
	byID      map[string]*x509.Certificate
	AllowTest bool // accept FR00: tests only, never in production
}

// LoadCerts reads every PEM or DER certificate of a directory.
func LoadCerts(dir string) (*Certs, error) {
	c := &Certs{byID: map[string]*x509.Certificate{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("2D-Doc certificates: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if p, _ := pem.Decode(b); p != nil {
			b = p.Bytes
		}
		cert, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, fmt.Errorf("2D-Doc certificate %s: %w", e.Name(), err)
		}
		c.Add(cert)
	}
	return c, nil
}

// Add registers a certificate.
func (c *Certs) Add(cert *x509.Certificate) {
	c.byID[cert.Issuer.CommonName+"/"+cert.Subject.CommonName] = cert
}

// Result is what verification found; SignatureOK is the cryptographic
// check alone, Status the full verdict.
type Result struct {
	Status      Status
	SignatureOK bool
	Message     string
}

// Verify checks a parsed 2D-Doc's signature with the certificate its header
// names. The hash follows the curve: SHA-256 for P-256 (the spec's), and
// SHA-384 / SHA-512 for P-384 / P-521 (our reading of "allowed").
func (c *Certs) Verify(d Doc) Result {
	cert := c.byID[d.CA+"/"+d.CertID]
	if cert == nil {
		return Result{Status: Unknown, Message: fmt.Sprintf("no certificate %s/%s configured: signature not verifiable", d.CA, d.CertID)}
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return Result{Status: Unknown, Message: "certificate key is not ECDSA"}
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	if len(d.Signature) != 2*size {
		return Result{Status: BadSignature, Message: fmt.Sprintf("signature is %d bytes, %d expected for %s", len(d.Signature), 2*size, pub.Curve.Params().Name)}
	}
	var digest []byte
	switch pub.Curve {
	case elliptic.P256():
		h := sha256.Sum256(d.SignedData)
		digest = h[:]
	case elliptic.P384():
		h := sha512.Sum384(d.SignedData)
		digest = h[:]
	default:
		h := sha512.Sum512(d.SignedData)
		digest = h[:]
	}
	r := new(big.Int).SetBytes(d.Signature[:size])
	s := new(big.Int).SetBytes(d.Signature[size:])
	if !ecdsa.Verify(pub, digest, r, s) {
		return Result{Status: BadSignature, Message: "2D-Doc signature does not match its content"}
	}
	res := Result{SignatureOK: true, Status: Valid, Message: "2D-Doc read, signature valid"}
	switch {
	case !d.Signed.IsZero() && (d.Signed.Before(truncate(cert.NotBefore)) || d.Signed.After(cert.NotAfter)):
		res.Status = OutOfPeriod
		res.Message = fmt.Sprintf("2D-Doc signed %s, outside its certificate's validity (%s to %s)",
			d.Signed.Format("2006-01-02"), cert.NotBefore.Format("2006-01-02"), cert.NotAfter.Format("2006-01-02"))
	case strings.EqualFold(d.CA, TestCA) && !c.AllowTest:
		res.Status = TestRefused
		res.Message = "2D-Doc signed by the ANTS test authority FR00: not accepted"
	}
	return res
}

// truncate drops the time of day: header dates are days.
func truncate(t interface{ Date() (int, time.Month, int) }) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
