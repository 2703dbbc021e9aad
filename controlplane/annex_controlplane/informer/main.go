// annex-informer: a client-go dynamic informer on one resource, for the integration tests.
//
// stdout carries one JSON line per event, written whole and unbuffered:
//
//	{"type":"ADD","name":"a","resourceVersion":"12"}   (also UPDATE, DELETE)
//	{"type":"SYNCED"}                                   once every initial ADD was handled
//
// stderr carries klog's lines (-v=N) and JSON diagnostics: the effective WatchListClient gate,
// every API request with its status, and how the initial state was read ("watch-list" or "list").
// It stops on SIGTERM, SIGINT or when stdin closes, so it never outlives the test that runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	clientfeatures "k8s.io/client-go/features"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

type event struct {
	Type            string `json:"type"`
	Name            string `json:"name,omitempty"`
	ResourceVersion string `json:"resourceVersion,omitempty"`
}

type output struct {
	mu  sync.Mutex
	out io.Writer
}

// write puts one JSON document on one line with a single Write, so readers never see half.
func (o *output) write(value any) {
	line, err := json.Marshal(value)
	if err != nil {
		klog.Fatalf("encoding %v: %v", value, err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, err := o.out.Write(append(line, '\n')); err != nil {
		klog.Fatalf("writing: %v", err)
	}
}

// initialSync remembers the requests that tell a watch-list from a list: client-go falls back
// to a plain list when the watch-list request fails, and then both are seen.
type initialSync struct {
	watchListOK atomic.Bool
	listed      atomic.Bool
}

func (s *initialSync) method() string {
	if s.watchListOK.Load() && !s.listed.Load() {
		return "watch-list"
	}
	return "list"
}

type requestLog struct {
	next   http.RoundTripper
	sync   *initialSync
	stderr *output
}

func (l *requestLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	record := map[string]any{"method": req.Method, "path": req.URL.Path, "query": req.URL.RawQuery}
	if err != nil {
		record["error"] = err.Error()
	} else {
		record["status"] = resp.StatusCode
		// net/http asked for gzip on its own and took it off: the server sent gzip.
		record["uncompressed"] = resp.Uncompressed
		query := req.URL.Query()
		ok := resp.StatusCode < 300
		if query.Get("watch") == "true" && query.Get("sendInitialEvents") == "true" && ok {
			l.sync.watchListOK.Store(true)
		}
		if req.Method == http.MethodGet && query.Get("watch") != "true" {
			l.sync.listed.Store(true)
		}
	}
	l.stderr.write(map[string]any{"request": record})
	return resp, err
}

func objectOf(obj any) *unstructured.Unstructured {
	if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tombstone.Obj
	}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		klog.Fatalf("unexpected object %T", obj)
	}
	return u
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "path to the kubeconfig")
	group := flag.String("group", "", "API group of the resource")
	version := flag.String("version", "", "API version of the resource")
	resource := flag.String("resource", "", "plural resource name")
	namespace := flag.String("namespace", "", "namespace to watch; empty for all")
	klog.InitFlags(flag.CommandLine)
	flag.Parse()
	if *kubeconfig == "" || *version == "" || *resource == "" {
		fmt.Fprintln(os.Stderr, "-kubeconfig, -version and -resource are required")
		os.Exit(2)
	}
	stdout := &output{out: os.Stdout}
	stderr := &output{out: os.Stderr}

	// WatchListClient is Beta and on by default from client-go 1.35 (k8s.io/client-go
	// v0.37.2 features/known_features.go); the gates are left alone, only reported.
	watchList := clientfeatures.FeatureGates().Enabled(clientfeatures.WatchListClient)
	stderr.write(map[string]any{"feature": string(clientfeatures.WatchListClient), "enabled": watchList})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatalf("kubeconfig: %v", err)
	}
	initial := &initialSync{}
	config.Wrap(func(next http.RoundTripper) http.RoundTripper {
		return &requestLog{next: next, sync: initial, stderr: stderr}
	})
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		klog.Fatalf("dynamic client: %v", err)
	}
	gvr := schema.GroupVersionResource{Group: *group, Version: *version, Resource: *resource}
	informer := dynamicinformer.NewFilteredDynamicInformer(
		client, gvr, *namespace, 0, cache.Indexers{}, nil,
	).Informer()

	emit := func(kind string, obj any) {
		u := objectOf(obj)
		stdout.write(event{Type: kind, Name: u.GetName(), ResourceVersion: u.GetResourceVersion()})
	}
	registration, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { emit("ADD", obj) },
		UpdateFunc: func(_, obj any) { emit("UPDATE", obj) },
		DeleteFunc: func(obj any) { emit("DELETE", obj) },
	})
	if err != nil {
		klog.Fatalf("adding the event handler: %v", err)
	}

	done := make(chan struct{})
	go func() {
		informer.RunWithContext(ctx)
		close(done)
	}()
	// The registration, not the informer: it has synced once our handler saw every initial ADD.
	if cache.WaitForCacheSync(ctx.Done(), registration.HasSynced) {
		stderr.write(map[string]any{"initialSync": initial.method()})
		stdout.write(event{Type: "SYNCED"})
	}
	<-ctx.Done()
	<-done
}
