package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/store"
)

// decode reads the JSON body into v strictly: one JSON value, no unknown fields, right types.
// Every failure is a 4xx problem that says what is wrong.
func decode(c *gin.Context, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return err // a *http.MaxBytesError becomes 413
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return explain(errInvalidRequest, "the request needs a JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return malformedJSON(err)
	}
	if dec.More() {
		return explain(errInvalidRequest, "the body must hold exactly one JSON value")
	}
	return nil
}

// malformedJSON is a body that is not the JSON expected: an invalid request whose detail says
// where and why (describeJSONError).
func malformedJSON(err error) error {
	return explain(as(errInvalidRequest, err), "%s", describeJSONError(err))
}

func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "the body"
		}
		return fmt.Sprintf("%s must be %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends too early"
	}
	return "malformed JSON: " + err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	}
	return "a number"
}

// page reads ?limit= and ?offset=.
func page(c *gin.Context) (store.Page, error) {
	var p store.Page
	for name, dst := range map[string]*int{"limit": &p.Limit, "offset": &p.Offset} {
		if raw := c.Query(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				return p, explain(errInvalidRequest, "%s must be a non-negative whole number", name)
			}
			*dst = n
		}
	}
	return p.Normalize(), nil
}

// list is the shape of every collection answer.
type list[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

func newList[T any](items []T, total int64) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total}
}
