package localkube

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/wait"
)

func TestDeploymentBecomesAvailableWithRunningReadyPods(t *testing.T) {
	c := sharedCluster(t)
	t.Logf("shared cluster start-to-ready: %s", shared.took.Round(time.Millisecond))
	client := clientFor(t, c)
	ctx := t.Context()
	ns := newNamespace(t, client, "deploy")

	if _, err := client.AppsV1().Deployments(ns).Create(ctx, deployment("web", 3), metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	begin := time.Now()
	d, err := waitAvailable(ctx, client, ns, "web", 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("deployment of 3 replicas available after %s", time.Since(begin).Round(time.Millisecond))
	if d.Status.AvailableReplicas != 3 || d.Status.ReadyReplicas != 3 {
		t.Errorf("status = %d available, %d ready; want 3 and 3", d.Status.AvailableReplicas, d.Status.ReadyReplicas)
	}

	pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
	if err != nil {
		t.Fatalf("list pods: %v", err)
	}
	if len(pods.Items) != 3 {
		t.Fatalf("got %d pods, want 3", len(pods.Items))
	}
	for _, pod := range pods.Items {
		if pod.Status.Phase != corev1.PodRunning {
			t.Errorf("pod %s phase = %s, want Running", pod.Name, pod.Status.Phase)
		}
		if !podReady(&pod) {
			t.Errorf("pod %s is not Ready: %+v", pod.Name, pod.Status.Conditions)
		}
		if !strings.HasPrefix(pod.Spec.NodeName, "kwok-node-") {
			t.Errorf("pod %s scheduled on %q, want a kwok node", pod.Name, pod.Spec.NodeName)
		}
		if pod.Status.PodIP == "" {
			t.Errorf("pod %s has no IP", pod.Name)
		}
	}

	if rss, err := c.ResidentMemory(); err != nil {
		t.Errorf("resident memory: %v", err)
	} else {
		t.Logf("control plane resident memory: %d MiB", rss>>20)
	}
}

func TestServiceAndConfigMap(t *testing.T) {
	c := sharedCluster(t)
	client := clientFor(t, c)
	ctx := t.Context()
	ns := newNamespace(t, client, "svc")

	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "settings"},
		Data:       map[string]string{"greeting": "hello"},
	}
	if _, err := client.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create configmap: %v", err)
	}
	got, err := client.CoreV1().ConfigMaps(ns).Get(ctx, "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get configmap: %v", err)
	}
	if got.Data["greeting"] != "hello" {
		t.Errorf("configmap data = %v, want greeting=hello", got.Data)
	}

	if _, err := client.AppsV1().Deployments(ns).Create(ctx, deployment("api", 2), metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "api"},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "api"},
			Ports:    []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}},
		},
	}
	created, err := client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create service: %v", err)
	}
	_, serviceNet, _ := net.ParseCIDR(serviceClusterIPRange)
	if ip := net.ParseIP(created.Spec.ClusterIP); ip == nil || !serviceNet.Contains(ip) {
		t.Errorf("service ClusterIP = %q, want an address in %s", created.Spec.ClusterIP, serviceClusterIPRange)
	}

	// The endpointslice controller lists the ready Pods behind the Service.
	var ready []string
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		list, err := client.DiscoveryV1().EndpointSlices(ns).List(ctx, metav1.ListOptions{
			LabelSelector: labels.Set{discoveryv1.LabelServiceName: "api"}.String(),
		})
		if err != nil {
			return false, err
		}
		ready = ready[:0]
		for _, s := range list.Items {
			for _, ep := range s.Endpoints {
				if ep.Conditions.Ready != nil && *ep.Conditions.Ready {
					ready = append(ready, ep.Addresses...)
				}
			}
		}
		return len(ready) == 2, nil
	})
	if err != nil {
		t.Fatalf("wait for 2 ready endpoints of service api (have %v): %v", ready, err)
	}
}

func TestNamespaceDeletionCompletes(t *testing.T) {
	c := sharedCluster(t)
	client := clientFor(t, c)
	ctx := t.Context()
	ns := newNamespace(t, client, "gone")

	if _, err := client.AppsV1().Deployments(ns).Create(ctx, deployment("doomed", 2), metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "doomed"}, Data: map[string]string{"k": "v"}}
	if _, err := client.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create configmap: %v", err)
	}
	if _, err := waitAvailable(ctx, client, ns, "doomed", 2*time.Minute); err != nil {
		t.Fatal(err)
	}

	if err := client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		t.Fatalf("delete namespace: %v", err)
	}
	begin := time.Now()
	var phase corev1.NamespacePhase
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		got, err := client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		phase = got.Status.Phase
		return false, nil
	})
	if err != nil {
		t.Fatalf("namespace %s still there (phase %s): %v", ns, phase, err)
	}
	t.Logf("namespace with a deployment deleted after %s", time.Since(begin).Round(time.Millisecond))
	pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list pods of deleted namespace: %v", err)
	}
	if len(pods.Items) != 0 {
		t.Errorf("%d pods left in deleted namespace", len(pods.Items))
	}
}

// TestStartStop starts a cluster of its own, logs its start-to-ready time and memory,
// and checks that Stop leaves no process, port or file behind.
func TestStartStop(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	workDir := t.TempDir()
	begin := time.Now()
	c, err := Start(ctx, Options{Nodes: 1, WorkDir: workDir, Logger: testLogger()})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Logf("start-to-ready (binaries cached): %s", time.Since(begin).Round(time.Millisecond))
	stopped := false
	defer func() {
		if !stopped {
			_ = c.Stop()
		}
	}()

	rss, err := c.ResidentMemory()
	if err != nil {
		t.Errorf("resident memory: %v", err)
	}
	t.Logf("control plane resident memory after start: %d MiB", rss>>20)
	for _, p := range c.processes() {
		if rss, err := processRSS(p.pid()); err == nil {
			t.Logf("  %s: %d MiB", p.name, rss>>20)
		}
	}

	client := clientFor(t, c)
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list nodes: %v", err)
	}
	if len(nodes.Items) != 1 || !nodeReady(&nodes.Items[0]) {
		t.Errorf("nodes = %d (first ready: %v), want 1 Ready node", len(nodes.Items),
			len(nodes.Items) > 0 && nodeReady(&nodes.Items[0]))
	}
	version, err := client.Discovery().ServerVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	if version.GitVersion != KubeVersion {
		t.Errorf("server version = %s, want %s", version.GitVersion, KubeVersion)
	}
	if _, err := os.Stat(c.KubeconfigPath()); err != nil {
		t.Errorf("kubeconfig: %v", err)
	}

	procs := c.processes()
	var names []string
	for _, p := range procs {
		names = append(names, p.name)
	}
	if want := programs(); !slices.Equal(names, want) {
		t.Errorf("processes = %v, want %v", names, want)
	}
	ports := c.ports.all()

	stopBegin := time.Now()
	stopped = true
	if err := c.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	t.Logf("stop took %s", time.Since(stopBegin).Round(time.Millisecond))

	for _, p := range procs {
		if err := syscall.Kill(p.pid(), 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s (pid %d) still alive after Stop: kill(0) = %v", p.name, p.pid(), err)
		}
		if err := syscall.Kill(-p.pid(), 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process group of %s (%d) not empty after Stop: kill(0) = %v", p.name, p.pid(), err)
		}
	}
	for _, port := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			t.Errorf("port %d still bound after Stop: %v", port, err)
			continue
		}
		_ = l.Close()
	}
	entries, err := os.ReadDir(workDir)
	if err != nil {
		t.Fatalf("read work dir: %v", err)
	}
	if len(entries) != 0 {
		t.Errorf("work dir keeps %d entries after Stop, want none", len(entries))
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestStartWithoutBinariesSaysHowToBuildThem(t *testing.T) {
	dir := t.TempDir()
	// One program present, so the message must list exactly the others.
	if err := os.WriteFile(dir+"/etcd", []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Start(t.Context(), Options{BinDir: dir})
	if !errors.Is(err, ErrBinariesMissing) {
		t.Fatalf("Start error = %v, want ErrBinariesMissing", err)
	}
	msg := err.Error()
	for _, want := range []string{"make kube-bins", dir, "kube-apiserver", "kwok"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, "etcd,") {
		t.Errorf("error %q lists etcd, which is present", msg)
	}
}
