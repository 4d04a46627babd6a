//go:build js && wasm

package bridge

import (
	"fmt"
	"time"

	"github.com/hack-pad/safejs"
)

var (
	jsObject     = safejs.MustGetGlobal("Object")
	jsArray      = safejs.MustGetGlobal("Array")
	jsUint8Array = safejs.MustGetGlobal("Uint8Array")
)

// ToJS converts a Go result into a plain JS value: nil → undefined,
// strings, bools and numbers as themselves (int64/uint64 as JS numbers),
// time.Time → milliseconds since the epoch, []byte → Uint8Array,
// map[string]any → object, []any / []map[string]any / []string → array,
// safejs.Value as is. Other types are an error (a bug in the adapter).
func ToJS(v any) (safejs.Value, error) {
	switch v := v.(type) {
	case nil:
		return safejs.Undefined(), nil
	case safejs.Value:
		return v, nil
	case string, bool, int, int32, float64, float32, int8, int16, uint8, uint16, uint32:
		return safejs.ValueOf(v)
	case int64:
		return safejs.ValueOf(float64(v))
	case uint64:
		return safejs.ValueOf(float64(v))
	case uint:
		return safejs.ValueOf(float64(v))
	case time.Time:
		return safejs.ValueOf(float64(v.UnixMilli()))
	case []byte:
		a, err := jsUint8Array.New(len(v))
		if err == nil {
			_, err = safejs.CopyBytesToJS(a, v)
		}
		return a, err
	case map[string]any:
		return objectToJS(v)
	case []any:
		return sliceToJS(len(v), func(i int) any { return v[i] })
	case []map[string]any:
		return sliceToJS(len(v), func(i int) any { return v[i] })
	case []string:
		return sliceToJS(len(v), func(i int) any { return v[i] })
	}
	return safejs.Undefined(), Errorf(CodeInternal, "bridge: cannot convert %T to JS", v)
}

func objectToJS(m map[string]any) (safejs.Value, error) {
	o, err := jsObject.New()
	if err != nil {
		return o, err
	}
	for k, x := range m {
		jv, err := ToJS(x)
		if err != nil {
			return o, fmt.Errorf("field %s: %w", k, err)
		}
		if err := o.Set(k, jv); err != nil {
			return o, err
		}
	}
	return o, nil
}

func sliceToJS(n int, at func(int) any) (safejs.Value, error) {
	a, err := jsArray.New(n)
	if err != nil {
		return a, err
	}
	for i := 0; i < n; i++ {
		jv, err := ToJS(at(i))
		if err != nil {
			return a, fmt.Errorf("index %d: %w", i, err)
		}
		if err := a.SetIndex(i, jv); err != nil {
			return a, err
		}
	}
	return a, nil
}
