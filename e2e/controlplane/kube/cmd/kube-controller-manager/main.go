// Command kube-controller-manager is a thin wrapper around the upstream
// kube-controller-manager command, built from Go modules for the e2e tests
// (garbage collection, PersistentVolume binding, namespace deletion).
package main

import (
	"os"
	_ "time/tzdata" // time zone data for CronJob time zones

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // --logging-format=json
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
