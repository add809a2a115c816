package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Parse reads one webhook delivery in the given format (FormatAuto detects it from the headers
// and the body) and returns its tag events. A body that is not JSON, not of the format, or that
// names an invalid repository, tag or digest gives an error wrapping ErrMalformed. A well-formed
// payload that needs no action (a pull, a layer push, a scan result) gives no events and a
// reason in ParseResult.Ignored. header may be nil.
func Parse(format Format, body []byte, header http.Header) (ParseResult, error) {
	if header == nil {
		header = http.Header{}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return ParseResult{Format: format}, fmt.Errorf("parse %s webhook: %w", format, malformed("body is not a JSON object"))
	}
	if format == FormatAuto {
		detected, err := detect(top, header)
		if err != nil {
			return ParseResult{Format: format}, fmt.Errorf("parse %s webhook: %w", format, err)
		}
		format = detected
	}
	var (
		res ParseResult
		err error
	)
	switch format {
	case FormatHarbor:
		res, err = parseHarbor(body)
	case FormatDockerHub:
		res, err = parseDockerHub(body)
	case FormatDistribution:
		res, err = parseDistribution(body)
	case FormatQuay:
		res, err = parseQuay(body)
	case FormatGHCR:
		res, err = parseGHCR(body, header)
	case FormatACR:
		res, err = parseACR(body)
	case FormatGeneric:
		res, err = parseGeneric(body)
	default:
		return ParseResult{Format: format}, fmt.Errorf("parse webhook: unknown format %q", format)
	}
	if err != nil {
		return ParseResult{Format: format}, fmt.Errorf("parse %s webhook: %w", format, err)
	}
	return res, nil
}

// detect guesses the format of a payload from its headers and its top-level fields.
func detect(top map[string]json.RawMessage, header http.Header) (Format, error) {
	has := func(key string) bool { _, ok := top[key]; return ok }
	contentType := strings.ToLower(header.Get("Content-Type"))
	switch {
	case header.Get("X-GitHub-Event") != "":
		return FormatGHCR, nil
	case strings.HasPrefix(contentType, "application/vnd.docker.distribution.events."), has("events"):
		return FormatDistribution, nil
	case has("event_data") && has("type"):
		return FormatHarbor, nil
	case has("specversion") && bytes.Contains(top["type"], []byte(`"harbor.`)):
		return FormatHarbor, nil
	case has("push_data"):
		return FormatDockerHub, nil
	case has("package"), has("registry_package"), has("zen") && has("hook_id"):
		return FormatGHCR, nil
	case has("updated_tags"), has("docker_url"):
		return FormatQuay, nil
	case has("target") && has("action"):
		return FormatACR, nil
	case has("image"):
		return FormatGeneric, nil
	}
	return "", malformed("payload matches no known webhook format")
}

// decode unmarshals body into v, wrapping failures in ErrMalformed.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return malformed("decode body: %v", err)
	}
	return nil
}
