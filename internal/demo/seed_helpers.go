package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oneko/oneko/internal/store"
)

// Bounds of the retries after a concurrent write: of a URL update that met a newer revision,
// and of looking for a document another seed created.
const (
	maxUpdateAttempts = 3
	maxFindAttempts   = 5
)

// ensure returns the document find finds, or creates it. A create that loses a race against
// another one (store.ErrDuplicate) finds the winner's document instead.
func ensure[T any](ctx context.Context, what string, out *Seeded, find, create func(context.Context) (*T, error)) (*T, error) {
	doc, err := find(ctx)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", what, err)
	}
	if doc != nil {
		return doc, nil
	}
	doc, err = create(ctx)
	switch {
	case err == nil:
		out.Created = append(out.Created, what)
		return doc, nil
	case !errors.Is(err, store.ErrDuplicate):
		return nil, fmt.Errorf("create %s: %w", what, err)
	}
	// Someone else created it in between. The store may list it a moment later than it
	// refuses the duplicate (a cached list is invalidated after the insert), so look a few
	// times before giving up.
	for attempt := 1; ; attempt++ {
		doc, err = find(ctx)
		if err != nil {
			return nil, fmt.Errorf("find %s: %w", what, err)
		}
		if doc != nil {
			return doc, nil
		}
		if attempt == maxFindAttempts {
			return nil, fmt.Errorf("find %s: created concurrently but not listed", what)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("find %s: %w", what, ctx.Err())
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}

// moveURL sets the URL of doc to want unless it has it already, re-reading the document and
// trying again when someone else wrote it in between (store.ErrConflict).
func moveURL[T any](ctx context.Context, what string, out *Seeded, doc *T, want string,
	find func(context.Context) (*T, error), urlOf func(*T) *string, update func(context.Context, *T) error) error {
	for attempt := 1; ; attempt++ {
		if *urlOf(doc) == want {
			return nil
		}
		*urlOf(doc) = want
		err := update(ctx, doc)
		if err == nil {
			out.Updated = append(out.Updated, what)
			return nil
		}
		if !errors.Is(err, store.ErrConflict) || attempt == maxUpdateAttempts {
			return fmt.Errorf("move %s to %s: %w", what, want, err)
		}
		fresh, err := find(ctx)
		if err == nil && fresh == nil {
			err = errors.New("deleted meanwhile")
		}
		if err != nil {
			return fmt.Errorf("move %s to %s: %w", what, want, err)
		}
		*doc = *fresh
	}
}

// findByName pages through list and returns the document called name, or nil when there is none.
func findByName[T any](ctx context.Context, list func(context.Context, store.Page) ([]T, int64, error), nameOf func(*T) string, name string) (*T, error) {
	const pageSize = 500
	for offset := 0; ; offset += pageSize {
		items, total, err := list(ctx, store.Page{Limit: pageSize, Offset: offset})
		if err != nil {
			return nil, err
		}
		for i := range items {
			if nameOf(&items[i]) == name {
				return &items[i], nil
			}
		}
		if len(items) == 0 || int64(offset+len(items)) >= total {
			return nil, nil
		}
	}
}
