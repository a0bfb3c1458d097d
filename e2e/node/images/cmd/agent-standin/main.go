// Command agent-standin is a STAND-IN for the OpenClaw agent image in the e2e
// tier's real-node tests: not OpenClaw, only enough of its outside to let the
// kubelet do to it what it does to an agent.
//
// As the container's entrypoint it serves /healthz, /readyz and /startupz on
// the gateway port (--port N among its arguments, else 18789) and ignores the
// other arguments (the operator passes "node /app/openclaw.mjs gateway ...").
// Tests make it misbehave for real, through its environment or through a file
// "standin-control" in $OPENCLAW_STATE_DIR (read at start and every 500 ms):
//
//	STANDIN_EXIT=<code>      exit with <code> right after start (CrashLoopBackOff)
//	STANDIN_ALLOC_MIB=<n>    allocate and touch <n> MiB (OOMKilled under a lower limit)
//	control file "exit <code>", "alloc <n>", "unready" (readyz answers 503)
//
// Invoked as "node -e SCRIPT CONFIG BODY DIR..." (the operator's init
// container: it cannot run JavaScript, it does what the operator's prepare
// script does: create each DIR, then write BODY to CONFIG unless CONFIG is
// empty or exists), mkdir, tee (kubectl exec -i POD -- tee FILE < data) or
// cat FILE... it does just that, because the image has no shell and no
// coreutils.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	switch filepath.Base(os.Args[0]) {
	case "node":
		if len(os.Args) > 2 && os.Args[1] == "-e" {
			os.Exit(prepare(os.Args[3:]))
		}
	case "mkdir":
		os.Exit(mkdir(os.Args[1:]))
	case "tee":
		os.Exit(tee(os.Args[1:]))
	case "cat":
		os.Exit(cat(os.Args[1:]))
	}
	serve(os.Args[1:])
}

// prepare does what the operator's init container script does with its
// arguments CONFIG BODY DIR...
func prepare(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "node -e: expected CONFIG BODY DIR...")
		return 2
	}
	if code := mkdir(args[2:]); code != 0 {
		return code
	}
	if args[0] == "" {
		return 0
	}
	f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if os.IsExist(err) {
		return 0
	}
	if err == nil {
		_, err = f.WriteString(args[1])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "node -e:", err)
		return 1
	}
	return 0
}

func mkdir(args []string) int {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if err := os.MkdirAll(a, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "mkdir:", err)
			return 1
		}
	}
	return 0
}

func tee(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: tee FILE")
		return 2
	}
	f, err := os.Create(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "tee:", err)
		return 1
	}
	if _, err := io.Copy(io.MultiWriter(f, os.Stdout), os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "tee:", err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "tee:", err)
		return 1
	}
	return 0
}

func cat(args []string) int {
	for _, a := range args {
		data, err := os.ReadFile(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cat:", err)
			return 1
		}
		os.Stdout.Write(data)
	}
	return 0
}

var ballast [][]byte

// allocate touches every page of n MiB so that it counts against the limit.
func allocate(n int) {
	fmt.Printf("agent-standin: allocating %d MiB\n", n)
	for i := 0; i < n; i++ {
		b := make([]byte, 1<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		ballast = append(ballast, b)
	}
	fmt.Printf("agent-standin: holding %d MiB\n", n)
}

// apply acts on one instruction; it returns false for "unready".
func apply(instruction string) bool {
	fields := strings.Fields(instruction)
	if len(fields) == 0 {
		return true
	}
	arg := 0
	if len(fields) > 1 {
		arg, _ = strconv.Atoi(fields[1])
	}
	switch fields[0] {
	case "exit":
		fmt.Printf("agent-standin: exiting with %d as instructed\n", arg)
		os.Exit(arg)
	case "alloc":
		if len(ballast) < arg {
			allocate(arg)
		}
	case "unready":
		return false
	}
	return true
}

func serve(args []string) {
	port := "18789"
	for i, a := range args {
		if a == "--port" && i+1 < len(args) {
			port = args[i+1]
		}
	}
	fmt.Println("agent-standin: a stand-in for the OpenClaw gateway, not OpenClaw")
	if code := os.Getenv("STANDIN_EXIT"); code != "" {
		apply("exit " + code)
	}
	if mib := os.Getenv("STANDIN_ALLOC_MIB"); mib != "" {
		apply("alloc " + mib)
	}
	var ready atomic.Bool
	ready.Store(true)
	control := filepath.Join(os.Getenv("OPENCLAW_STATE_DIR"), "standin-control")
	watch := func() {
		data, err := os.ReadFile(control)
		if err != nil {
			ready.Store(true)
			return
		}
		ready.Store(apply(strings.TrimSpace(string(data))))
	}
	watch()
	go func() {
		for range time.Tick(500 * time.Millisecond) {
			watch()
		}
	}()
	ok := func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") }
	http.HandleFunc("/healthz", ok)
	http.HandleFunc("/startupz", ok)
	http.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			http.Error(w, "unready as instructed", http.StatusServiceUnavailable)
			return
		}
		ok(w, r)
	})
	fmt.Println("agent-standin: listening on :" + port)
	if err := http.ListenAndServe(":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, "agent-standin:", err)
		os.Exit(1)
	}
}
