package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/oneko/oneko/internal/auth"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/events"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// Diagnostics reads what the cluster knows of a version's releases (internal/diagnose).
type Diagnostics interface {
	Pods(ctx context.Context, versionID string) ([]diagnose.Pod, error)
	Pod(ctx context.Context, versionID, name string) (*diagnose.Pod, error)
	Logs(ctx context.Context, versionID, pod string, o diagnose.LogOptions) (io.ReadCloser, error)
	Events(ctx context.Context, versionID string) ([]diagnose.Event, error)
	History(ctx context.Context, versionID string) ([]diagnose.Revision, error)
}

// Bounds of the logs route.
const (
	maxTailLines = 100000
	// maxLogBytes bounds a log answered at once (not followed).
	maxLogBytes = 32 << 20
	// followRecheck is how often a followed stream checks that its caller is still signed in.
	followRecheck = 30 * time.Second
)

// followLimits caps the log streams followed at once, per user and in total.
type followLimits struct {
	mu              sync.Mutex
	perUser         map[string]int
	total           int
	maxUser, maxAll int
}

// acquire takes a slot for user, or says why there is none.
func (f *followLimits) acquire(user string) (func(), error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.total >= f.maxAll:
		return nil, explain(errTooManyFollows, "this server follows %d logs already; try again later", f.maxAll)
	case f.perUser[user] >= f.maxUser:
		return nil, explain(errTooManyFollows, "you follow %d logs already: close one first", f.maxUser)
	}
	f.total++
	f.perUser[user]++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.total--
		if f.perUser[user]--; f.perUser[user] <= 0 {
			delete(f.perUser, user)
		}
	}, nil
}

// diagnostics answers 503 when the server has no cluster to read.
func (s *Server) diagnostics(c *gin.Context) (Diagnostics, bool) {
	if s.Diagnostics == nil {
		s.fail(c, errNoCluster)
		return nil, false
	}
	return s.Diagnostics, true
}

// diagnoseErr classifies an error of package diagnose: what it reports of the request (no
// such pod or container, a container to name) as it is, anything else as the cluster
// failing (problemKinds answers each).
func diagnoseErr(err error) error {
	switch {
	case errors.Is(err, diagnose.ErrNoPod), errors.Is(err, diagnose.ErrNoContainer),
		errors.Is(err, diagnose.ErrContainerRequired), errors.Is(err, context.Canceled):
		return err
	}
	return fmt.Errorf("%w: %w", errClusterUnavailable, err)
}

// externalLogURL fills the external-logging link template of a container.
func (s *Server) externalLogURL(ns, pod, container string) string {
	if s.ExternalLogURL == "" {
		return ""
	}
	return strings.NewReplacer("{namespace}", url.PathEscape(ns), "{pod}", url.PathEscape(pod), "{container}", url.PathEscape(container)).Replace(s.ExternalLogURL)
}

func (s *Server) listPods(c *gin.Context) {
	_, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, ok := s.diagnostics(c)
	if !ok {
		return
	}
	pods, err := d.Pods(c.Request.Context(), v.ID)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	for i := range pods {
		for j := range pods[i].Containers {
			pods[i].Containers[j].ExternalLogURL = s.externalLogURL(pods[i].Namespace, pods[i].Name, pods[i].Containers[j].Name)
		}
	}
	c.JSON(http.StatusOK, newList(pods, int64(len(pods))))
}

// logQuery reads the query of the logs route; bad values are 400 problems.
func logQuery(c *gin.Context) (diagnose.LogOptions, bool, error) {
	o := diagnose.LogOptions{Container: c.Query("container")}
	flag := func(name string) (bool, error) {
		switch strings.ToLower(c.Query(name)) {
		case "", "0", "false":
			return false, nil
		case "1", "true":
			return true, nil
		}
		return false, explain(errInvalidRequest, "%s must be true or false (or 1 or 0)", name)
	}
	var err error
	var download bool
	for name, dst := range map[string]*bool{"previous": &o.Previous, "timestamps": &o.Timestamps, "follow": &o.Follow, "download": &download} {
		if *dst, err = flag(name); err != nil {
			return o, false, err
		}
	}
	if raw := c.Query("tailLines"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 || n > maxTailLines {
			return o, false, explain(errInvalidRequest, "tailLines must be a whole number from 1 to %d", maxTailLines)
		}
		o.TailLines = &n
	}
	if raw := c.Query("sinceSeconds"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 {
			return o, false, explain(errInvalidRequest, "sinceSeconds must be a whole number of seconds, at least 1")
		}
		o.SinceSeconds = &n
	}
	return o, download, nil
}

// podLogs answers a container's log as plain text, or as Server-Sent Events while following.
func (s *Server) podLogs(c *gin.Context) {
	_, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	o, download, err := logQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, ok := s.diagnostics(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	pod, err := d.Pod(ctx, v.ID, c.Param("pod"))
	if err == nil {
		o.Container, err = diagnose.ResolveContainer(pod, o.Container)
	}
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	if o.Follow {
		s.followLogs(c, d, v, pod, o)
		return
	}
	rc, err := d.Logs(ctx, v.ID, pod.Name, o)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	defer rc.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if download {
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.log"`, pod.Name, o.Container))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, io.LimitReader(rc, maxLogBytes)); err != nil {
		s.log.DebugContext(ctx, "log copy ended", "err", err)
	}
}

// followLogs streams a log as Server-Sent Events, one event per line with the line's time as
// its id: a client that reconnects with Last-Event-ID resumes after that line. The stream ends
// with an "end" event when the container ends, and ends when the caller is no longer signed in.
func (s *Server) followLogs(c *gin.Context, d Diagnostics, v *model.Version, pod *diagnose.Pod, o diagnose.LogOptions) {
	caller := principal(c)
	release, err := s.follows.acquire(caller.User.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer release()
	showTimes := o.Timestamps
	o.Timestamps = true // the ids of the events
	var resumeAfter string
	if last := c.GetHeader("Last-Event-ID"); last != "" {
		t, err := time.Parse(time.RFC3339Nano, last)
		if err != nil {
			s.fail(c, explain(as(errInvalidRequest, err), "Last-Event-ID must be the id of an event of this stream"))
			return
		}
		o.SinceTime, o.TailLines, o.SinceSeconds, resumeAfter = &t, nil, nil, last
	}
	ctx, cancel := context.WithCancel(c.Request.Context())
	defer cancel()
	rc, err := d.Logs(ctx, v.ID, pod.Name, o)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	defer rc.Close()
	go s.endWhenSignedOut(ctx, c.Copy(), caller, cancel)

	w := c.Writer
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": following\n\n")
	w.Flush()
	lines := bufio.NewScanner(rc)
	lines.Buffer(make([]byte, 4<<10), 1<<20) // grows for long lines, up to 1 MiB
	for lines.Scan() {
		ts, text, _ := strings.Cut(lines.Text(), " ")
		if resumeAfter != "" && ts <= resumeAfter {
			continue // sent before the reconnect (sinceTime is inclusive)
		}
		if showTimes {
			text = ts + " " + text
		}
		fmt.Fprintf(w, "id: %s\ndata: %s\n\n", ts, strings.ReplaceAll(text, "\r", ""))
		w.Flush()
	}
	if ctx.Err() == nil {
		fmt.Fprint(w, "event: end\ndata: the log ended (the container stopped)\n\n")
		w.Flush()
	}
}

// endWhenSignedOut cancels a stream once its caller's session or token is no longer valid.
func (s *Server) endWhenSignedOut(ctx context.Context, c *gin.Context, caller *auth.Principal, cancel func()) {
	t := time.NewTicker(followRecheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var err error
		switch caller.Kind {
		case auth.KindSession:
			cookie, _ := c.Cookie(SessionCookie)
			_, err = s.Auth.FromSession(ctx, cookie)
		case auth.KindToken:
			secret, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
			_, err = s.Auth.FromToken(ctx, strings.TrimSpace(secret))
		}
		if errors.Is(err, auth.ErrUnauthenticated) {
			cancel()
			return
		}
	}
}

func (s *Server) listEvents(c *gin.Context) {
	p, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, ok := s.diagnostics(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	evs, err := d.Events(ctx, v.ID)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	s.liftWarning(ctx, p, v, evs)
	c.JSON(http.StatusOK, newList(evs, int64(len(evs))))
}

// liftWarning puts the warning that explains a failing or pending deployment into the
// version's status message and tells browsers.
func (s *Server) liftWarning(ctx context.Context, p *model.Project, v *model.Version, evs []diagnose.Event) {
	st := v.Deployment.Status
	why := diagnose.Explain(evs)
	msg := diagnose.WithWarning(v.Deployment.Message, why)
	if why == "" || (st != model.StatusPending && st != model.StatusFailed) || msg == v.Deployment.Message {
		return
	}
	dep := v.Deployment
	dep.Message = msg
	// Only the message, and only while the status is the one read: a deploy's outcome recorded
	// meanwhile is never overwritten.
	written, err := s.Store.RecordStatusMessage(ctx, v.ID, v.Generation, 0, st, msg)
	if err != nil || !written {
		return
	}
	if err := s.Events.Publish(ctx, events.VersionStatus, versionStatusEvent{ID: v.ID, Deployment: dep}); err != nil {
		s.log.DebugContext(ctx, "cannot publish version status", "err", err)
	}
	_ = p
}

func (s *Server) listHistory(c *gin.Context) {
	_, v, err := s.loadVersion(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, ok := s.diagnostics(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	revs, err := d.History(ctx, v.ID)
	if err != nil {
		s.fail(c, diagnoseErr(err))
		return
	}
	acts, _, err := s.Store.ListActivities(ctx, v.ID, store.Page{Limit: 500})
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range revs {
		revs[i].Actor = model.ActorOfRevision(acts, revs[i].Namespace, revs[i].Release, revs[i].Revision, revs[i].Time)
	}
	c.JSON(http.StatusOK, newList(revs, int64(len(revs))))
}
