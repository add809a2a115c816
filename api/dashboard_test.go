package api_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/oneko/oneko/internal/model"
)

// chromiumPath finds Debian's Chromium (make test-deps installs it).
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: run `make test`, which installs it (apt-get install -y chromium)")
	return ""
}

// TestDashboardInChromium signs in through the dashboard in headless Chromium, opens a
// project's versions and deploys one with its button: the click reaches the store through the
// session cookie and the same-origin check.
func TestDashboardInChromium(t *testing.T) {
	e := newEnv(t)
	f := e.fixture()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()

	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#user"), "viewer"),
		chromedp.SendKeys(chromedp.CSS("#pass"), testPassword),
		chromedp.Click(chromedp.CSS("#login button")), // form.submit() would skip the page's handler
		chromedp.WaitVisible(chromedp.CSS("#app")),
		chromedp.WaitVisible(chromedp.CSS("#projects a")),
	)
	if err != nil {
		t.Fatal(err)
	}
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#me")))
	if err != nil {
		t.Fatal(err)
	}
	projects, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#projects")))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#projects a")), chromedp.WaitVisible(chromedp.CSS("#versions button"))); err != nil {
		t.Fatal(err)
	}
	versions, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#versions")))
	if err != nil {
		t.Fatal(err)
	}
	// The first button of the first version is Deploy.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#versions button"))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(who, "viewer (VIEWER)") || !strings.Contains(projects, "shop") || !strings.Contains(versions, "1.0.0") {
		t.Fatalf("dashboard shows me=%q projects=%q versions=%q", who, projects, versions)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err := e.store.GetVersion(context.Background(), f.projectID, f.versionID)
		if err == nil && v.DesiredState == model.Deployed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Deploy button did not deploy: %+v %v", v, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil && os.Getenv("ONEKO_SCREENSHOT") != "" {
		_ = os.WriteFile(os.Getenv("ONEKO_SCREENSHOT"), shot, 0o644)
	}
}
