//go:build js && wasm

package bridge

import "github.com/hack-pad/safejs"

// Args are the JS arguments of one call, with typed accessors that fail
// with BAD_ARGUMENT.
type Args []safejs.Value

func (a Args) at(i int) safejs.Value {
	if i < len(a) {
		return a[i]
	}
	return safejs.Undefined()
}

// Missing reports whether argument i is absent, undefined or null.
func (a Args) Missing(i int) bool {
	v := a.at(i)
	return v.IsUndefined() || v.IsNull()
}

// String returns argument i, which must be a string.
func (a Args) String(i int) (string, error) {
	v := a.at(i)
	if v.Type() != safejs.TypeString {
		return "", Errorf(CodeBadArgument, "argument %d: want a string, got %s", i+1, v.Type())
	}
	return v.String()
}

// Int returns argument i, which must be an integer number.
func (a Args) Int(i int) (int, error) {
	v := a.at(i)
	if v.Type() != safejs.TypeNumber {
		return 0, Errorf(CodeBadArgument, "argument %d: want a number, got %s", i+1, v.Type())
	}
	f, _ := v.Float()
	if f != float64(int(f)) {
		return 0, Errorf(CodeBadArgument, "argument %d: want an integer", i+1)
	}
	return int(f), nil
}

// Bool returns argument i, which must be a boolean.
func (a Args) Bool(i int) (bool, error) {
	v := a.at(i)
	if v.Type() != safejs.TypeBoolean {
		return false, Errorf(CodeBadArgument, "argument %d: want a boolean, got %s", i+1, v.Type())
	}
	return v.Bool()
}

// Object returns argument i as an options object; absent means empty.
func (a Args) Object(i int) (Obj, error) {
	if a.Missing(i) {
		return Obj{safejs.Undefined()}, nil
	}
	v := a.at(i)
	if v.Type() != safejs.TypeObject {
		return Obj{}, Errorf(CodeBadArgument, "argument %d: want an object, got %s", i+1, v.Type())
	}
	return Obj{v}, nil
}

// Obj is an options object; a missing field takes the default.
type Obj struct{ v safejs.Value }

func (o Obj) field(name string) safejs.Value {
	if o.v.IsUndefined() || o.v.IsNull() {
		return safejs.Undefined()
	}
	f, err := o.v.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return f
}

// Has reports whether field name is present and not null.
func (o Obj) Has(name string) bool {
	f := o.field(name)
	return !f.IsUndefined() && !f.IsNull()
}

// String returns field name (a string) or def when absent.
func (o Obj) String(name, def string) (string, error) {
	f := o.field(name)
	if f.IsUndefined() || f.IsNull() {
		return def, nil
	}
	if f.Type() != safejs.TypeString {
		return "", Errorf(CodeBadArgument, "%s: want a string, got %s", name, f.Type())
	}
	return f.String()
}

// Bool returns field name (a boolean) or def when absent.
func (o Obj) Bool(name string, def bool) (bool, error) {
	f := o.field(name)
	if f.IsUndefined() || f.IsNull() {
		return def, nil
	}
	if f.Type() != safejs.TypeBoolean {
		return false, Errorf(CodeBadArgument, "%s: want a boolean, got %s", name, f.Type())
	}
	return f.Bool()
}

// Int returns field name (an integer) or def when absent.
func (o Obj) Int(name string, def int) (int, error) {
	f := o.field(name)
	if f.IsUndefined() || f.IsNull() {
		return def, nil
	}
	return Args{f}.Int(0)
}

// Strings returns field name (an array of strings) or def when absent.
func (o Obj) Strings(name string, def []string) ([]string, error) {
	f := o.field(name)
	if f.IsUndefined() || f.IsNull() {
		return def, nil
	}
	n, err := f.Length()
	if err != nil || f.Type() != safejs.TypeObject {
		return nil, Errorf(CodeBadArgument, "%s: want an array of strings", name)
	}
	out := make([]string, n)
	for i := range out {
		e, _ := f.Index(i)
		if e.Type() != safejs.TypeString {
			return nil, Errorf(CodeBadArgument, "%s[%d]: want a string", name, i)
		}
		out[i], _ = e.String()
	}
	return out, nil
}

var blobClass = safejs.MustGetGlobal("Blob")

// Blob returns argument i, which must be a Blob (or a File).
func (a Args) Blob(i int) (safejs.Value, error) {
	v := a.at(i)
	if ok, err := v.InstanceOf(blobClass); err != nil || !ok {
		return safejs.Undefined(), Errorf(CodeBadArgument, "argument %d: want a Blob or File, got %s", i+1, v.Type())
	}
	return v, nil
}
