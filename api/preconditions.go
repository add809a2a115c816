package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/store"
)

// Revisioned documents (projects, docker and Helm registries, users) are answered with an
// ETag header, the quoted revision ("7"), and carry the same number in their revision field.
// A PUT of one names the revision it was made from, in If-Match or in the body's revision
// field, so that two editors cannot silently overwrite each other.

// setETag sets the ETag of a document revision.
func setETag(c *gin.Context, rev int64) {
	c.Header("ETag", `"`+strconv.FormatInt(rev, 10)+`"`)
}

// checkIfMatch refuses a write whose If-Match names another revision (412). Without If-Match
// (or with "*") it lets the write through.
func checkIfMatch(c *gin.Context, rev int64) error {
	im := strings.TrimSpace(c.GetHeader("If-Match"))
	if im == "" || im == "*" {
		return nil
	}
	for _, tag := range strings.Split(im, ",") {
		if strings.Trim(strings.TrimSpace(tag), `"`) == strconv.FormatInt(rev, 10) {
			return nil
		}
	}
	return preconditionFailed()
}

// requireRevision guards the PUT of a revisioned document whose stored revision is current:
// the caller must name the revision it read, in If-Match or as bodyRev (the body's revision
// field; 0 is absent). Neither answers 428; a named revision that is not current answers 412.
// If-Match: * accepts any revision on purpose.
func requireRevision(c *gin.Context, current, bodyRev int64) error {
	if strings.TrimSpace(c.GetHeader("If-Match")) == "" && bodyRev == 0 {
		return errRevisionRequired
	}
	if err := checkIfMatch(c, current); err != nil {
		return err
	}
	if bodyRev != 0 && bodyRev != current {
		return preconditionFailed()
	}
	return nil
}

// preconditionFailed is the answer to a write made from a revision that is no longer current.
func preconditionFailed() error { return errPreconditionFailed }

// revisionConflict turns the store's refusal of a write whose revision moved on between reading
// and writing into the 412 a guarded PUT answers.
func revisionConflict(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w: %w", errPreconditionFailed, err)
	}
	return err
}
