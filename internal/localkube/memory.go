package localkube

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ResidentMemory returns the summed resident set size, in bytes, of every running
// process of the cluster, read from /proc (Linux only).
func (c *Cluster) ResidentMemory() (uint64, error) {
	var total uint64
	for _, p := range c.processes() {
		if p.exited() {
			continue
		}
		rss, err := processRSS(p.pid())
		if err != nil {
			return 0, fmt.Errorf("localkube: resident memory of %s: %w", p.name, err)
		}
		total += rss
	}
	return total, nil
}

// processRSS returns the VmRSS of a process in bytes.
func processRSS(pid int) (uint64, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("read status of pid %d: %w", pid, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("parse VmRSS of pid %d: %q", pid, rest)
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse VmRSS of pid %d: %w", pid, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}
