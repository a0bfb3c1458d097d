// Command health-judge judges Kubernetes objects the way Flux and Argo CD do:
// with sigs.k8s.io/cli-utils' kstatus (status.Compute, the code behind Flux's
// `wait: true` and kstatus-based waiters), and with an Argo CD resource health
// Lua script run in gopher-lua, the Lua engine Argo CD embeds.
//
// It reads one JSON object per line on stdin and writes one JSON line per
// object on stdout, in the same order, flushed after every line, so a caller
// can keep one process open and feed it objects as it sees them:
//
//	{"kstatus":"InProgress","kstatusMessage":"...","argocd":"Progressing","argocdMessage":"..."}
//
// A line that cannot be judged gets {"error":"..."} and the program goes on.
//
// Usage: health-judge -lua examples/gitops/argocd/health.lua < objects.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type judgement struct {
	Kstatus        string `json:"kstatus,omitempty"`
	KstatusMessage string `json:"kstatusMessage,omitempty"`
	Argocd         string `json:"argocd,omitempty"`
	ArgocdMessage  string `json:"argocdMessage,omitempty"`
	Error          string `json:"error,omitempty"`
}

func main() {
	luaPath := flag.String("lua", "", "Argo CD health Lua script; without it only kstatus is computed")
	version := flag.Bool("version", false, "print the versions of cli-utils and gopher-lua built in, and exit")
	flag.Parse()
	if *version {
		printVersions()
		return
	}
	var script string
	if *luaPath != "" {
		b, err := os.ReadFile(*luaPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "health-judge:", err)
			os.Exit(2)
		}
		script = string(b)
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<20), 16<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		line := in.Bytes()
		if len(line) == 0 {
			continue
		}
		if err := enc.Encode(judge(line, script)); err != nil {
			fmt.Fprintln(os.Stderr, "health-judge:", err)
			os.Exit(1)
		}
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "health-judge:", err)
		os.Exit(1)
	}
}

func judge(line []byte, script string) judgement {
	var obj map[string]interface{}
	if err := json.Unmarshal(line, &obj); err != nil {
		return judgement{Error: "not a JSON object: " + err.Error()}
	}
	var j judgement
	// unstructured wants int64 for integers, as the API machinery decodes them.
	u := &unstructured.Unstructured{Object: normalize(obj).(map[string]interface{})}
	res, err := status.Compute(u)
	if err != nil {
		return judgement{Error: "kstatus: " + err.Error()}
	}
	j.Kstatus, j.KstatusMessage = res.Status.String(), res.Message
	if script != "" {
		health, message, err := argoHealth(script, obj)
		if err != nil {
			return judgement{Error: "argocd: " + err.Error()}
		}
		j.Argocd, j.ArgocdMessage = health, message
	}
	return j
}

// normalize turns encoding/json's float64 numbers into int64 where they are
// whole, as Kubernetes' JSON decoding does for unstructured objects.
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
		return t
	default:
		return v
	}
}

// argoHealth runs a health script the way Argo CD does: the object as the
// global `obj`, the script's returned table read as {status, message}.
func argoHealth(script string, obj map[string]interface{}) (string, string, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
	} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return "", "", err
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("script returned %s, not a table", l.Get(-1).Type())
	}
	health := ret.RawGetString("status")
	if health.Type() != lua.LTString {
		return "", "", fmt.Errorf("script returned no status string")
	}
	message := ""
	if m := ret.RawGetString("message"); m.Type() == lua.LTString {
		message = m.String()
	}
	return health.String(), message, nil
}

// toLua converts decoded JSON into Lua values: objects and arrays become
// tables (arrays 1-based), numbers become numbers, null becomes nil.
func toLua(l *lua.LState, v interface{}) lua.LValue {
	switch t := v.(type) {
	case map[string]interface{}:
		tbl := l.NewTable()
		for k, e := range t {
			tbl.RawSetString(k, toLua(l, e))
		}
		return tbl
	case []interface{}:
		tbl := l.NewTable()
		for i, e := range t {
			tbl.RawSetInt(i+1, toLua(l, e))
		}
		return tbl
	case string:
		return lua.LString(t)
	case bool:
		return lua.LBool(t)
	case int64:
		return lua.LNumber(t)
	case float64:
		return lua.LNumber(t)
	default:
		return lua.LNil
	}
}

func printVersions() {
	fmt.Print("health-judge")
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "sigs.k8s.io/cli-utils" || m.Path == "github.com/yuin/gopher-lua" {
				fmt.Printf(" %s@%s", m.Path, m.Version)
			}
		}
	}
	fmt.Println()
}
