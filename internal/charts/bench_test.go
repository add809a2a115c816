package charts

import "testing"

// BenchmarkChartCached measures Chart for a version already fetched: an exact version is
// answered from memory without the index; a range resolves against the cached index first.
// Both load a fresh *chart.Chart from the archive kept in memory, which is most of the cost.
func BenchmarkChartCached(b *testing.B) {
	r := newClassicRepo(b, nil)
	c, _ := newTestCache(b, "")
	ctx := testContext(b)
	if _, err := c.Chart(ctx, r.registry(), "app", "1.2.5"); err != nil {
		b.Fatalf("Chart: %v", err)
	}
	for _, bc := range []struct{ name, constraint string }{
		{"exact", "1.2.5"},
		{"range", "~1.2"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			before := r.total()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Chart(ctx, r.registry(), "app", bc.constraint); err != nil {
					b.Fatalf("Chart: %v", err)
				}
			}
			if n := r.total() - before; n > 1 {
				b.Fatalf("requests = %d, want at most 1 (an index refresh)", n)
			}
		})
	}
}
