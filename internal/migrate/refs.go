package migrate

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// shape is what an expression holds, as far as the conversion cares: one
// of the official objects (whose attributes are renamed when read), a
// collection of them, or anything else.
type shape int

const (
	shapeOther     shape = iota
	shapeSingular        // an instance of an official singular
	shapePlural          // an instance of an official plural
	shapeImage           // an element of a plural's images
	shapeSingulars       // the instances of a singular with count or for_each
	shapePlurals         // the instances of a plural with count or for_each
	shapeImages          // a list or map of images
)

var shapeNames = [...]string{"", "an image data source", "an image list data source", "an image", "image data sources",
	"image list data sources", "a list of images"}

// element is the shape of an element of a collection; an object stays what
// it is (a splat over one object makes a list of it).
func element(s shape) shape {
	switch s {
	case shapeSingulars:
		return shapeSingular
	case shapePlurals:
		return shapePlural
	case shapeImages:
		return shapeImage
	}
	return s
}

// collection is the shape of a collection of elements of shape s.
func collection(s shape) shape {
	switch s {
	case shapeSingular, shapeSingulars:
		return shapeSingulars
	case shapePlural, shapePlurals:
		return shapePlurals
	case shapeImage, shapeImages:
		return shapeImages
	}
	return shapeOther
}

// binding is a name in scope: a for expression's variable, self, or an
// iterator (each, a dynamic block's), whose .value has the shape.
type binding struct {
	shape shape
	iter  bool
}

// analyzer converts the references of one top-level block: every path to
// an attribute of an official object it can follow is rewritten, and every
// use of an official object it cannot follow is flagged.
type analyzer struct {
	m     *module
	f     *file
	block *hclsyntax.Block
	env   map[string][]binding
	anon  shape    // the element of the splat being walked
	flags []string // what needs a person
}

func (m *module) analyzer(f *file, b *hclsyntax.Block) *analyzer {
	return &analyzer{m: m, f: f, block: b, env: map[string][]binding{}}
}

func (a *analyzer) bind(name string, b binding) { a.env[name] = append(a.env[name], b) }
func (a *analyzer) unbind(name string)          { a.env[name] = a.env[name][:len(a.env[name])-1] }

func (a *analyzer) lookup(name string) (binding, bool) {
	if bs := a.env[name]; len(bs) > 0 {
		return bs[len(bs)-1], true
	}
	return binding{}, false
}

// flag records a construct a person must look at.
func (a *analyzer) flag(format string, args ...any) {
	a.flags = append(a.flags, fmt.Sprintf(format, args...))
}

// value walks an expression whose value is used as it is: an official
// object there keeps the official attribute names for whoever reads it.
func (a *analyzer) value(e hclsyntax.Expression) {
	if s := a.walk(e); s != shapeOther {
		a.flag("%s is %s used whole: whatever reads its attributes uses the official names, and hwc's differ "+
			"(os is platform, min_disk_gb is min_disk, …: see the migration guide); convert them by hand, then delete this line",
			strings.TrimSpace(a.f.text(e.Range())), shapeNames[s])
	}
}

// walk converts the references inside an expression and returns its shape.
func (a *analyzer) walk(e hclsyntax.Expression) shape {
	switch e := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return a.traversal(e)
	case *hclsyntax.RelativeTraversalExpr:
		return a.steps(e.Source.Range().Start.Byte, a.walk(e.Source), e.Traversal)
	case *hclsyntax.IndexExpr:
		s := a.walk(e.Collection)
		a.value(e.Key)
		return element(s)
	case *hclsyntax.SplatExpr:
		return a.splat(e)
	case *hclsyntax.ForExpr:
		return a.forExpr(e)
	case *hclsyntax.FunctionCallExpr:
		return a.call(e)
	case *hclsyntax.ConditionalExpr:
		a.value(e.Condition)
		return a.either(e.TrueResult, e.FalseResult)
	case *hclsyntax.ParenthesesExpr:
		return a.walk(e.Expression)
	case *hclsyntax.TemplateWrapExpr:
		return a.walk(e.Wrapped)
	case *hclsyntax.AnonSymbolExpr:
		return a.anon
	}
	a.children(e)
	return shapeOther
}

// children walks the parts of the expressions whose value is not an
// official object whatever their parts are.
func (a *analyzer) children(e hclsyntax.Expression) {
	switch e := e.(type) {
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			a.value(x)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, it := range e.Items {
			a.value(it.KeyExpr)
			a.value(it.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		if hcl.ExprAsKeyword(e.Wrapped) == "" || e.ForceNonLiteral {
			a.value(e.Wrapped)
		}
	case *hclsyntax.BinaryOpExpr:
		a.value(e.LHS)
		a.value(e.RHS)
	case *hclsyntax.UnaryOpExpr:
		a.value(e.Val)
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			a.value(p)
		}
	case *hclsyntax.TemplateJoinExpr:
		a.value(e.Tuple)
	}
}

// traversal converts a reference: to an official data source (whose type
// is renamed), to a local holding official objects, or to a name in scope.
func (a *analyzer) traversal(e *hclsyntax.ScopeTraversalExpr) shape {
	t := e.Traversal
	start := e.Range().Start.Byte
	switch root := t.RootName(); {
	case root == "data" && len(t) >= 3:
		typ, ok1 := t[1].(hcl.TraverseAttr)
		name, ok2 := t[2].(hcl.TraverseAttr)
		ds := a.m.data[typ.Name+"."+name.Name]
		if !ok1 || !ok2 || ds == nil {
			return shapeOther
		}
		a.f.replace(typ.SrcRange, "."+dataSources[typ.Name])
		return a.steps(start, ds.shape(), t[3:])
	case root == "local" && len(t) >= 2:
		if name, ok := t[1].(hcl.TraverseAttr); ok && a.m.locals[name.Name] != shapeOther {
			return a.steps(start, a.m.locals[name.Name], t[2:])
		}
	default:
		b, ok := a.lookup(root)
		switch {
		case !ok:
		case !b.iter:
			return a.steps(start, b.shape, t[1:])
		case len(t) >= 2 && isAttr(t[1], "value"):
			return a.steps(start, b.shape, t[2:])
		}
	}
	return shapeOther
}

func isAttr(t hcl.Traverser, name string) bool {
	attr, ok := t.(hcl.TraverseAttr)
	return ok && attr.Name == name
}

// steps follows the steps of a traversal from an object of shape s, whose
// expression starts at byte start.
func (a *analyzer) steps(start int, s shape, steps hcl.Traversal) shape {
	for _, step := range steps {
		switch st := step.(type) {
		case hcl.TraverseIndex:
			s = element(s)
		case hcl.TraverseAttr:
			switch s {
			case shapePlural:
				if st.Name == "images" {
					s = shapeImages
					continue
				}
				fallthrough
			case shapeSingular, shapeImage:
				a.read(start, s, st)
			}
			s = shapeOther
		default:
			s = shapeOther
		}
	}
	return s
}

// read converts the reading of an attribute of an official object.
func (a *analyzer) read(start int, s shape, attr hcl.TraverseAttr) {
	r, ok := lookupRead(s, attr.Name)
	object := strings.TrimSpace(a.f.render(start, attr.SrcRange.Start.Byte))
	switch {
	case !ok:
		a.flag("%s.%s is not an attribute of the official data source", object, attr.Name)
	case r.manual != "":
		a.flag("%s.%s: %s", object, attr.Name, r.manual)
	case a.shadowed(s, attr.Name):
		a.flag("%s.enterprise_project_id: the official provider read the image's enterprise project, hwc_ims_image "+
			"keeps the one configured as a filter", object)
	case r.null:
		a.f.splice(start, attr.SrcRange.End.Byte, "null")
	case r.expr != "":
		a.f.splice(start, attr.SrcRange.End.Byte, "("+fmt.Sprintf(r.expr, object, r.to)+")")
	case r.to != attr.Name:
		a.f.replace(attr.SrcRange, "."+r.to)
	}
}

// shadowed reports whether hwc may keep a configured filter where the
// official provider read the image's value: the enterprise project of a
// singular, when one of the module's singulars configures it.
func (a *analyzer) shadowed(s shape, attr string) bool {
	return s == shapeSingular && attr == "enterprise_project_id" && a.m.singularEPS
}

// splat converts X[*].attr and X.*.attr; an attribute that becomes an
// expression makes it a for expression.
func (a *analyzer) splat(e *hclsyntax.SplatExpr) shape {
	source := a.walk(e.Source)
	elem := element(source)
	if rel, ok := e.Each.(*hclsyntax.RelativeTraversalExpr); ok && len(rel.Traversal) == 1 && elem != source {
		if _, anon := rel.Source.(*hclsyntax.AnonSymbolExpr); anon {
			attr, _ := rel.Traversal[0].(hcl.TraverseAttr)
			if r, ok := lookupRead(elem, attr.Name); ok && r.expr != "" && r.manual == "" && !a.shadowed(elem, attr.Name) {
				source := strings.TrimSpace(a.f.text(e.Source.Range()))
				a.f.replace(e.Range(), fmt.Sprintf("[for image in %s : %s]", source, fmt.Sprintf(r.expr, "image", r.to)))
				return shapeOther
			}
		}
	}
	prev := a.anon
	a.anon = elem
	defer func() { a.anon = prev }()
	return collection(a.walk(e.Each))
}

// forExpr binds the variable of a for expression over official objects.
func (a *analyzer) forExpr(e *hclsyntax.ForExpr) shape {
	elem := element(a.walk(e.CollExpr))
	if e.KeyVar != "" {
		a.bind(e.KeyVar, binding{})
		defer a.unbind(e.KeyVar)
	}
	a.bind(e.ValVar, binding{shape: elem})
	defer a.unbind(e.ValVar)
	if e.KeyExpr != nil {
		a.value(e.KeyExpr)
	}
	if e.CondExpr != nil {
		a.value(e.CondExpr)
	}
	return collection(a.walk(e.ValExpr))
}

// Functions that take official objects and keep their shape, or return
// something that does not depend on their attribute names.
var (
	keepsShape   = map[string]bool{"tolist": true, "toset": true, "values": true, "reverse": true, "slice": true, "concat": true, "try": true, "coalesce": true, "coalescelist": true}
	elementOf    = map[string]bool{"one": true, "element": true, "lookup": true}
	namesIgnored = map[string]bool{"length": true, "keys": true, "can": true}
)

// call walks a function call.
func (a *analyzer) call(e *hclsyntax.FunctionCallExpr) shape {
	name := e.Name
	switch {
	case namesIgnored[name]:
		for _, x := range e.Args {
			a.walk(x)
		}
		return shapeOther
	case (keepsShape[name] || elementOf[name]) && len(e.Args) > 0 && !e.ExpandFinal:
		s := a.walk(e.Args[0])
		for i, x := range e.Args[1:] {
			if indexArg(name, i+1) {
				a.value(x) // an index or a key: a number or a string
				continue
			}
			if t := a.walk(x); t != s && !isNull(x) && !isEmpty(x) && (keepsShape[name] || t != shapeOther) {
				a.flag("%s(…) mixes official objects with other values", name)
			}
		}
		if elementOf[name] {
			return element(s)
		}
		return s
	}
	for _, x := range e.Args {
		a.value(x)
	}
	return shapeOther
}

// either is the shape of a conditional's result: its branches must agree
// (null agrees with anything).
func (a *analyzer) either(t, f hclsyntax.Expression) shape {
	ts, fs := a.walk(t), a.walk(f)
	switch {
	case ts == fs || isNull(f):
		return ts
	case isNull(t):
		return fs
	}
	if ts != shapeOther {
		a.flag("a conditional returns %s or something else", shapeNames[ts])
	}
	if fs != shapeOther {
		a.flag("a conditional returns %s or something else", shapeNames[fs])
	}
	return shapeOther
}

// indexArg reports an argument of a function that picks from its first one
// (slice's bounds, element's index, lookup's key) rather than a value it
// may return.
func indexArg(name string, i int) bool {
	switch name {
	case "slice", "element":
		return true
	case "lookup":
		return i == 1
	}
	return false
}

// isEmpty reports an empty list or object written out ([] or {}), which
// agrees with any shape, as null does: try(x.images, []) still holds images.
func isEmpty(e hclsyntax.Expression) bool {
	switch e := e.(type) {
	case *hclsyntax.TupleConsExpr:
		return len(e.Exprs) == 0
	case *hclsyntax.ObjectConsExpr:
		return len(e.Items) == 0
	}
	return false
}

func isNull(e hclsyntax.Expression) bool {
	l, ok := e.(*hclsyntax.LiteralValueExpr)
	return ok && l.Val.IsNull()
}
