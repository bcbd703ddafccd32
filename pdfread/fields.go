package pdfread

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Field is one AcroForm field: what a portal named it, its value, its
// tooltip (/TU: the label a PDF reader shows, often the printed one) and
// where its first widget lies. Forms of unknown schemas are mapped to
// canonical fields from these (forms.MapFields).
type Field struct {
	Name    string // fully qualified (parent.child)
	Value   string // as pdfcpu exports it ("true" for a ticked box)
	Tooltip string
	Page    int        // 1-based; 0 when the widget names no page
	Rect    [4]float64 // widget rectangle in PDF points: llx, lly, urx, ury
	// Label is the printed text nearest the widget, to its left or above
	// it (Reader.Labels fills it from the page's text layer).
	Label string
}

// maxFields bounds the walk of a field tree: a form of the procedures has
// some tens; a crafted one with cycles or millions stops here.
const maxFields = 2000

// formFields walks the AcroForm's field tree for names, tooltips and
// widget rectangles; values come from values (pdfcpu's export).
func formFields(ctx *model.Context, values map[string]string) ([]Field, error) {
	root, err := ctx.Catalog()
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	acro, err := ctx.DereferenceDict(root["AcroForm"])
	if err != nil || acro == nil {
		return nil, err
	}
	arr, err := ctx.DereferenceArray(acro["Fields"])
	if err != nil {
		return nil, fmt.Errorf("AcroForm fields: %w", err)
	}
	pages := map[int]int{} // page object number → page number
	for p := 1; p <= ctx.PageCount; p++ {
		if ref, err := ctx.PageDictIndRef(p); err == nil && ref != nil {
			pages[ref.ObjectNumber.Value()] = p
		}
	}
	text := func(o types.Object) string {
		s, err := ctx.DereferenceText(o)
		if err != nil {
			return ""
		}
		return s
	}
	var out []Field
	seen := map[int]bool{}
	var walk func(o types.Object, parent string) error
	walk = func(o types.Object, parent string) error {
		if ref, ok := o.(types.IndirectRef); ok {
			if seen[ref.ObjectNumber.Value()] {
				return nil
			}
			seen[ref.ObjectNumber.Value()] = true
		}
		if len(seen) > maxFields {
			return fmt.Errorf("more than %d form fields", maxFields)
		}
		d, err := ctx.DereferenceDict(o)
		if err != nil || d == nil {
			return err
		}
		name := parent
		if t, ok := d["T"]; ok {
			if name != "" {
				name += "."
			}
			name += text(t)
		}
		kids, _ := ctx.DereferenceArray(d["Kids"])
		named := false
		for _, k := range kids {
			if kd, err := ctx.DereferenceDict(k); err == nil && kd != nil {
				if _, ok := kd["T"]; ok {
					named = true
				}
			}
		}
		if named {
			for _, k := range kids {
				if err := walk(k, name); err != nil {
					return err
				}
			}
			return nil
		}
		f := Field{Name: name, Value: values[name], Tooltip: text(d["TU"])}
		widget := d
		if len(kids) > 0 {
			if kd, err := ctx.DereferenceDict(kids[0]); err == nil && kd != nil {
				widget = kd
			}
		}
		if r, err := ctx.DereferenceArray(widget["Rect"]); err == nil && len(r) == 4 {
			if rect := types.RectForArray(r); rect != nil {
				f.Rect = [4]float64{rect.LL.X, rect.LL.Y, rect.UR.X, rect.UR.Y}
			}
		}
		if p, ok := widget["P"].(types.IndirectRef); ok {
			f.Page = pages[p.ObjectNumber.Value()]
		}
		out = append(out, f)
		return nil
	}
	for _, o := range arr {
		if err := walk(o, ""); err != nil {
			return out, err
		}
	}
	return out, nil
}
